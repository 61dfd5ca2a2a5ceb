#!/bin/sh
set -e
DATA=/var/lib/postgresql/data
if [ ! -s "$DATA/PG_VERSION" ]; then
  install -d -o postgres -g postgres "$DATA"
  setpriv --reuid=postgres --regid=postgres --init-groups initdb -D "$DATA" -U postgres --auth-local=trust --auth-host=trust >/dev/null
  # initdb only trusts loopback; the stack's other services connect over the run's network.
  echo "host all all 0.0.0.0/0 trust" >> "$DATA/pg_hba.conf"
fi
install -d -o postgres -g postgres /var/run/postgresql
exec setpriv --reuid=postgres --regid=postgres --init-groups postgres -D "$DATA" -c listen_addresses='*'
