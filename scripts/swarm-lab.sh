#!/usr/bin/env bash
# A real three-node Docker Swarm on this machine, for envtest's Swarm backend and its tests.
#
#   eval "$(scripts/swarm-lab.sh up)"     # build/start the lab; prints DOCKER_HOST and ENVTEST_REGISTRY
#   scripts/swarm-lab.sh env              # print the same two lines again (the lab must be up)
#   scripts/swarm-lab.sh load IMAGE...    # copy images from this machine's engine onto every node and the lab registry
#   scripts/swarm-lab.sh status           # the swarm's nodes as the manager sees them
#   scripts/swarm-lab.sh down             # remove the lab: containers, network and volumes, by label
#
# What `up` makes on this machine's engine (everything labelled envtest.lab=swarm and
# envtest.lab.name=<lab>, so `down` finds it by label; `up` is idempotent: what exists and works is kept):
#   - network  envtest-swarm-lab            a bridge network of its own (address from the engine's pool);
#   - envtest-swarm-node-1..3               near-privileged containers from envtest/swarm-node:bookworm, each
#                                           running its own dockerd (overlay2 on a labelled volume
#                                           envtest-swarm-node-N, so nothing is overlay-on-overlay);
#                                           node-1 runs `docker swarm init` and is the manager, 2 and 3
#                                           join as workers through node-1's address on the lab network;
#   - envtest-swarm-registry                Debian's docker-registry on the lab network, port 5000;
#                                           every node's dockerd trusts it as an insecure (HTTP) registry.
# The manager's API (plain TCP, no TLS) is published on 127.0.0.1 only, on a port the engine picks: fine
# on loopback, where only this machine can reach it; never publish it on another address.
# The swarm's own address pool is 10.214.0.0/16 (overlay networks), apart from the engine's pool that the
# lab network comes from (10.213.0.0/16 in scripts/setup-docker.sh), so overlays never shadow the underlay.
# Inner containers get `--dns 127.0.0.1`: a name the swarm does not know fails at once inside the lab
# instead of being forwarded to a public resolver (the network rule: loopback and our own containers).
#
# The node image is built on demand from images/swarm-node (FROM envtest/base:bookworm plus Debian's
# docker.io, iptables and docker-registry from the Debian mirror; no container registry needed) and
# rebuilt when that directory changes. Requires a running engine that allows --cap-add ALL and seccomp=unconfined.
#
# Environment:
#   ENVTEST_SWARM_LAB           the lab's name (default envtest-swarm): prefixes every container, network and
#                               volume, and is their envtest.lab.name label, so two labs can coexist
#   ENVTEST_SWARM_LAB_WAIT      seconds to wait for dockerds and nodes to be ready (default 120)
#   ENVTEST_SWARM_LAB_STORAGE   the nodes' storage driver (default overlay2; vfs works everywhere, slowly)
set -euo pipefail
cd "$(dirname "$0")/.."

LAB=${ENVTEST_SWARM_LAB:-envtest-swarm}
[[ "$LAB" =~ ^[a-z0-9][a-z0-9-]{0,30}$ ]] || { echo "swarm-lab: ENVTEST_SWARM_LAB must be lowercase letters, digits and dashes" >&2; exit 2; }
LABEL=envtest.lab=swarm
NAME_LABEL=envtest.lab.name=$LAB
NETWORK=$LAB-lab
NODE_IMAGE=envtest/swarm-node:bookworm
NODES=("$LAB-node-1" "$LAB-node-2" "$LAB-node-3")
MANAGER=${NODES[0]}
REGISTRY=$LAB-registry
REGISTRY_ADDR=$REGISTRY:5000
SWARM_POOL=10.214.0.0/16
WAIT=${ENVTEST_SWARM_LAB_WAIT:-120}
STORAGE=${ENVTEST_SWARM_LAB_STORAGE:-overlay2}

say() { printf 'swarm-lab: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
now() { date +%s; }
exists() { docker inspect --type "$1" "$2" >/dev/null 2>&1; }
running() { [ "$(docker inspect --type container --format '{{.State.Running}}' "$1" 2>/dev/null)" = true ]; }
on() { local node=$1; shift; docker exec "$node" docker "$@"; }
lab_ip() { docker inspect --format "{{(index .NetworkSettings.Networks \"$NETWORK\").IPAddress}}" "$1"; }

# --- the node image, rebuilt when images/swarm-node changes ----------------------------------------
node_image_hash() { cat images/swarm-node/* | sha256sum | cut -c1-16; }
ensure_node_image() {
  local want have t0 log
  want=$(node_image_hash)
  have=$(docker image inspect --format '{{index .Config.Labels "envtest.swarm-node.hash"}}' "$NODE_IMAGE" 2>/dev/null || true)
  [ "$want" = "$have" ] && return 0
  docker image inspect envtest/base:bookworm >/dev/null 2>&1 || bash scripts/build-images.sh >&2
  t0=$(now) log=$(mktemp)
  say "building $NODE_IMAGE (Debian's docker.io from the Debian mirror)"
  DOCKER_BUILDKIT=0 docker build -q --label "envtest.swarm-node.hash=$want" -t "$NODE_IMAGE" images/swarm-node \
    >/dev/null 2>"$log" || { cat "$log" >&2; rm -f "$log"; exit 1; }
  rm -f "$log"
  say "built $NODE_IMAGE in $(( $(now) - t0 ))s"
}

# --- containers --------------------------------------------------------------------------------------
ensure_network() {
  exists network "$NETWORK" || docker network create --label "$LABEL" --label "$NAME_LABEL" "$NETWORK" >/dev/null
}

ensure_registry() {
  if ! exists container "$REGISTRY"; then
    # Debian's default config wants an htpasswd file; the lab's registry is open inside the lab network.
    docker run -d --name "$REGISTRY" --hostname "$REGISTRY" --label "$LABEL" --label "$NAME_LABEL" --network "$NETWORK" \
      --restart unless-stopped --entrypoint sh "$NODE_IMAGE" -c \
      'printf "version: 0.1\nlog: { level: warn }\nstorage:\n  filesystem: { rootdirectory: /var/lib/docker-registry }\n  delete: { enabled: true }\nhttp:\n  addr: :5000\n" >/etc/envtest-registry.yml && exec docker-registry serve /etc/envtest-registry.yml' \
      >/dev/null
  elif ! running "$REGISTRY"; then
    docker start "$REGISTRY" >/dev/null
  fi
}

# Everything --privileged gives except CAP_SYS_RESOURCE (see images/swarm-node/node-entrypoint.sh).
NODE_PRIVILEGES=(--cap-add ALL --cap-drop SYS_RESOURCE --security-opt seccomp=unconfined
                 --security-opt systempaths=unconfined --cgroupns private)
ensure_node() {
  local node=$1 publish=()
  [ "$node" = "$MANAGER" ] && publish=(-p 127.0.0.1::2375)
  if ! exists container "$node"; then
    exists volume "$node" || docker volume create --label "$LABEL" --label "$NAME_LABEL" "$node" >/dev/null
    docker run -d "${NODE_PRIVILEGES[@]}" --name "$node" --hostname "$node" --label "$LABEL" --label "$NAME_LABEL" \
      --network "$NETWORK" -v "$node:/var/lib/docker" "${publish[@]}" --restart unless-stopped \
      "$NODE_IMAGE" \
      --host unix:///var/run/docker.sock $([ "$node" = "$MANAGER" ] && echo --host tcp://0.0.0.0:2375 --tls=false) \
      --storage-driver "$STORAGE" --insecure-registry "$REGISTRY_ADDR" --dns 127.0.0.1 \
      --label "envtest.lab.node=$node" >/dev/null
  elif ! running "$node"; then
    docker start "$node" >/dev/null
  fi
}

wait_for() { # description, command...
  local what=$1 i; shift
  for ((i = 0; i < WAIT * 2; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  die "$what did not happen within ${WAIT}s (logs: docker logs <container>)"
}

swarm_state() { on "$1" info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null; }
ready_nodes() { on "$MANAGER" node ls --format '{{.Status}} {{.Availability}}' 2>/dev/null | grep -c '^Ready Active$'; }
all_ready() { [ "$(ready_nodes)" = "${#NODES[@]}" ]; }

ensure_swarm() {
  local manager_ip token node state
  manager_ip=$(lab_ip "$MANAGER")
  state=$(swarm_state "$MANAGER")
  if [ "$state" != active ]; then
    on "$MANAGER" swarm init --advertise-addr "$manager_ip" \
      --default-addr-pool "$SWARM_POOL" --default-addr-pool-mask-length 24 >/dev/null
  elif [ "$(on "$MANAGER" info --format '{{.Swarm.NodeAddr}}')" != "$manager_ip" ]; then
    die "$MANAGER's swarm advertises another address than its lab address $manager_ip (the engine gave it a new one?): run '$0 down' and '$0 up'"
  fi
  token=$(on "$MANAGER" swarm join-token -q worker)
  for node in "${NODES[@]:1}"; do
    state=$(swarm_state "$node")
    [ "$state" = active ] && continue
    [ "$state" = pending ] && continue
    on "$node" swarm join --advertise-addr "$(lab_ip "$node")" --token "$token" "$manager_ip:2377" >/dev/null
  done
  wait_for "${#NODES[@]} swarm nodes Ready" all_ready
}

print_env() {
  local port
  port=$(docker port "$MANAGER" 2375/tcp 2>/dev/null | grep -m1 '^127\.0\.0\.1:' | cut -d: -f2) \
    || die "the lab is not up (run: $0 up)"
  [ -n "$port" ] || die "the lab is not up (run: $0 up)"
  echo "export DOCKER_HOST=tcp://127.0.0.1:$port"
  echo "export ENVTEST_REGISTRY=$REGISTRY_ADDR"
}

cmd_up() {
  local t0 node
  t0=$(now)
  docker info >/dev/null 2>&1 || die "no engine answers (run scripts/setup-docker.sh)"
  ensure_node_image
  ensure_network
  ensure_registry
  for node in "${NODES[@]}"; do ensure_node "$node"; done
  for node in "${NODES[@]}"; do wait_for "dockerd in $node answering" on "$node" version; done
  ensure_swarm
  wait_for "the registry answering" docker exec "$MANAGER" curl -fsS "http://$REGISTRY_ADDR/v2/"
  say "up in $(( $(now) - t0 ))s: ${#NODES[@]} nodes Ready, registry $REGISTRY_ADDR"
  print_env
}

cmd_down() {
  local ids
  ids=$(docker ps -aq --filter "label=$LABEL" --filter "label=$NAME_LABEL")
  [ -z "$ids" ] || docker rm -f -v $ids >/dev/null
  ids=$(docker network ls -q --filter "label=$LABEL" --filter "label=$NAME_LABEL")
  [ -z "$ids" ] || docker network rm $ids >/dev/null
  ids=$(docker volume ls -q --filter "label=$LABEL" --filter "label=$NAME_LABEL")
  [ -z "$ids" ] || docker volume rm $ids >/dev/null
  say "down: nothing labelled $NAME_LABEL remains"
}

# The nodes pull what envtest builds from the lab registry, and an image built FROM a big base is
# pushed layer by layer: without the base's layers already in the registry, the first build of a test
# run pushes ~900 MB (compressed on one core, once per built image when they push at once: minutes).
# So `load` seeds the registry: the manager gets the images (one `docker save` | `docker load`), pushes
# each once to <registry>/<name> (a later push of an image built on it finds those layers there and
# mounts them), and the workers pull them from the registry rather than load them, so each worker
# knows the registry's digest of every base layer and pulls only a build's own layers later.
# A node that already has an image with the same id is skipped (save/load and pull keep image ids);
# so is a push the registry already holds.
registry_ref() { # image -> its name in the lab registry (any registry host of its own left out)
  local name=$1 first=${1%%/*}
  [[ "$name" == */* && ( "$first" == *.* || "$first" == *:* || "$first" == localhost ) ]] && name=${name#*/}
  [[ "${name##*/}" == *:* ]] || name=$name:latest
  echo "$REGISTRY_ADDR/$name"
}
has_image() { [ "$(on "$1" image inspect --format '{{.Id}}' "$2" 2>/dev/null)" = "$3" ]; }

cmd_load() {
  [ "$#" -gt 0 ] || die "usage: $0 load IMAGE..."
  local image node id ref t0 tmp missing=() pids=() failed=0
  for node in "${NODES[@]}"; do running "$node" || die "$node is not running (run: $0 up)"; done
  t0=$(now)
  for image in "$@"; do
    id=$(docker image inspect --format '{{.Id}}' "$image" 2>/dev/null) || die "no image $image on this machine's engine"
    has_image "$MANAGER" "$image" "$id" || missing+=("$image")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    tmp=$(mktemp -d /var/tmp/envtest-swarm-load.XXXXXX)
    docker save -o "$tmp/images.tar" "${missing[@]}" && docker exec -i "$MANAGER" docker load -q <"$tmp/images.tar" >/dev/null || failed=1
    rm -rf "$tmp"
    [ "$failed" = 0 ] || die "loading ${missing[*]} into $MANAGER failed"
  fi
  for image in "$@"; do
    ref=$(registry_ref "$image")
    on "$MANAGER" image inspect --format '{{join .RepoDigests "\n"}}' "$image" | grep -q "^${ref%:*}@" && continue
    on "$MANAGER" tag "$image" "$ref" && on "$MANAGER" push -q "$ref" >/dev/null || die "pushing $image to the lab registry failed"
  done
  for node in "${NODES[@]:1}"; do
    (
      for image in "$@"; do
        id=$(docker image inspect --format '{{.Id}}' "$image")
        has_image "$node" "$image" "$id" && continue
        ref=$(registry_ref "$image")
        on "$node" pull -q "$ref" >/dev/null && on "$node" tag "$ref" "$image" || exit 1
      done
    ) &
    pids+=($!)
  done
  for id in "${pids[@]}"; do wait "$id" || failed=1; done
  [ "$failed" = 0 ] || die "pulling into a worker failed"
  say "loaded $* onto ${#NODES[@]} nodes and into $REGISTRY_ADDR in $(( $(now) - t0 ))s"
}

cmd_status() {
  running "$MANAGER" || die "the lab is not up (run: $0 up)"
  on "$MANAGER" node ls
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  env) print_env ;;
  load) shift; cmd_load "$@" ;;
  status) cmd_status ;;
  -h|--help|help) sed -n '2,/^set -euo/p' "$0" | sed '$d' ;;
  *) sed -n '2,8p' "$0" >&2; exit 2 ;;
esac
