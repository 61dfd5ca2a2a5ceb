#!/usr/bin/env bash
# Make sure a Docker engine is running for envtest. Idempotent, quiet when the engine already answers.
#
#   scripts/setup-docker.sh
#
# - `docker info` works            -> exit 0 at once.
# - else, as root on Debian/Ubuntu -> apt-get install (only what is missing) docker.io, docker-compose,
#   debootstrap, iptables; remove a stale /var/run/docker.pid (and containerd's pid file) when no dockerd
#   is alive (a dockerd killed with -9 leaves it behind and a new one refuses to start); start dockerd
#   detached (setsid nohup, log: $ENVTEST_DOCKERD_LOG, default /var/log/envtest-dockerd.log) and wait up
#   to $ENVTEST_DOCKERD_WAIT seconds (default 60) for `docker info`; on failure print the log tail, exit 1.
# - not root / not Debian-like     -> print what to install, exit 1.
#
# Images and containers live in /var/lib/docker, so they survive a dockerd restart.
set -euo pipefail

LOG=${ENVTEST_DOCKERD_LOG:-/var/log/envtest-dockerd.log}
WAIT=${ENVTEST_DOCKERD_WAIT:-60}
PIDFILE=/var/run/docker.pid
CONTAINERD_PIDFILE=/var/run/docker/containerd/containerd.pid

engine_up() { command -v docker >/dev/null 2>&1 && timeout 10 docker info >/dev/null 2>&1; }
say() { printf 'setup-docker: %s\n' "$*"; }
# A live (non-zombie) dockerd? After `kill -9` the process can linger as a zombie until its parent
# reaps it; pgrep still lists it, but it holds nothing and must not block a restart.
dockerd_alive() {
  local pid state
  for pid in $(pgrep -x dockerd 2>/dev/null); do
    state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)
    [ -n "$state" ] && [ "$state" != Z ] && return 0
  done
  return 1
}

engine_up && exit 0

if [ "$(id -u)" != 0 ] || [ ! -r /etc/debian_version ] || ! command -v apt-get >/dev/null 2>&1; then
  cat >&2 <<'EOF'
setup-docker: no running Docker engine, and this script can only install/start one as root on Debian/Ubuntu.
Install and start yourself:
  - Docker Engine >= 20.10 (Debian/Ubuntu: apt-get install docker.io; elsewhere: https://docs.docker.com/engine/install/)
  - docker compose (v2 plugin) or docker-compose 1.29+
  - debootstrap (only needed by scripts/build-images.sh when no registry is reachable)
and make sure `docker info` works for your user.
EOF
  exit 1
fi

# --- packages, only when missing -----------------------------------------------------------------
missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v docker-compose >/dev/null 2>&1 || docker compose version >/dev/null 2>&1 || missing+=(docker-compose)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
command -v iptables >/dev/null 2>&1 || missing+=(iptables)
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Installing docker.io may have started the engine through systemd/sysvinit already.
  engine_up && { say "engine is up"; exit 0; }
fi

# --- stale pid files -----------------------------------------------------------------------------
if ! dockerd_alive; then
  if [ -e "$PIDFILE" ]; then say "removing stale $PIDFILE"; rm -f "$PIDFILE"; fi
  if [ -e "$CONTAINERD_PIDFILE" ]; then
    cpid=$(cat "$CONTAINERD_PIDFILE" 2>/dev/null || true)
    if [ -z "$cpid" ] || ! kill -0 "$cpid" 2>/dev/null; then rm -f "$CONTAINERD_PIDFILE"; fi
  fi
else
  # A dockerd is alive but not answering (still starting, or wedged): give it the same grace period.
  say "dockerd is running but not answering yet; waiting"
fi

# --- start dockerd ---------------------------------------------------------------------------------
if ! dockerd_alive; then
  # Daemon options:
  #  --default-address-pool: envtest gives every run its own bridge network. Docker's default pools
  #    (172.17-31.0.0/16 and 192.168.0.0/16 in /20s) allow only ~30 networks before "could not find an
  #    available, non-overlapping IPv4 address pool"; a /16 carved into /24s allows 256 parallel runs.
  #    10.213.0.0/16 is an arbitrary private range unlikely to clash with the host's networks.
  #  Nothing else: storage driver, iptables and cgroups are auto-detected.
  say "starting dockerd (log: $LOG)"
  mkdir -p "$(dirname "$LOG")"
  setsid nohup dockerd --default-address-pool base=10.213.0.0/16,size=24 >>"$LOG" 2>&1 </dev/null &
fi

for _ in $(seq 1 "$WAIT"); do
  if engine_up; then say "engine is up"; exit 0; fi
  sleep 1
done

say "dockerd did not answer within ${WAIT}s; last lines of $LOG:" >&2
tail -n 40 "$LOG" >&2 || true
exit 1
