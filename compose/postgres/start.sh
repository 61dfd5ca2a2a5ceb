#!/bin/sh
set -e
DATA=/var/lib/postgresql/data
if [ ! -s "$DATA/PG_VERSION" ]; then
  install -d -o postgres -g postgres "$DATA"
  setpriv --reuid=postgres --regid=postgres --init-groups initdb -D "$DATA" -U postgres --auth-local=trust --auth-host=trust >/dev/null
fi
install -d -o postgres -g postgres /var/run/postgresql
exec setpriv --reuid=postgres --regid=postgres --init-groups postgres -D "$DATA" -c listen_addresses='*'
