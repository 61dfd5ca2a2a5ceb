#!/usr/bin/env bash
# Build the local images envtest's example, fixtures and tests use. No container registry is needed.
#
#   scripts/build-images.sh            # build what is missing, skip what exists
#   scripts/build-images.sh --force    # rebuild everything
#   ENVTEST_BASE_METHOD=debootstrap|pull scripts/build-images.sh   # force how the base is made
#
# Images:
#   envtest/base:bookworm   Debian bookworm with every server envtest's fixtures use: nodejs, postgresql,
#                           redis-server, mariadb-server, rabbitmq-server, nats-server, mosquitto, nginx,
#                           plus ca-certificates, procps, iproute2, netcat-openbsd, curl.
#                           - If a registry answers (`docker pull debian:bookworm-slim` within a short
#                             timeout) it is built with images/base/Dockerfile.
#                           - Otherwise (the usual case here: no registry is reachable) it is made from the
#                             Debian package mirror: `debootstrap --variant=minbase` into a temp dir, then
#                             the packages are installed in a chroot with apt-get (apt resolves
#                             alternatives/virtual packages that debootstrap's --include cannot), caches and
#                             docs are removed, and the tree is `docker import`ed with ENV/CMD re-added.
#                           No service is started by default (policy-rc.d forbids it during the build);
#                           each fixture starts its own server in the foreground: the verified commands
#                           are in the comments at the top of images/base/Dockerfile.
#   envtest/sidecar:latest  FROM envtest/base:bookworm; node on PATH, WORKDIR /envtest, CMD sleep infinity.
#
# Requires root (debootstrap/chroot) and a running engine (scripts/setup-docker.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

FORCE=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "build-images: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

BASE_IMAGE=envtest/base:bookworm
SIDECAR_IMAGE=envtest/sidecar:latest
SUITE=bookworm
PACKAGES=(nodejs postgresql redis-server mariadb-server rabbitmq-server nats-server mosquitto nginx
          ca-certificates procps iproute2 netcat-openbsd curl)
IMAGE_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

log() { printf 'build-images: %s\n' "$*"; }
now() { date +%s; }
have_image() { docker image inspect "$1" >/dev/null 2>&1; }
human_size() { docker image inspect --format '{{.Size}}' "$1" | awk '{printf "%.0f MB", $1/1000/1000}'; }

# The Debian mirror the host already uses (one-line sources.list or deb822 .sources), else deb.debian.org.
debian_mirror() {
  local m
  m=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
        | awk '$1=="deb" {for (i=2;i<=NF;i++) if ($i ~ /^https?:\/\//) {print $i; break}}' \
        | grep -E '/debian/?$' | head -n1 || true)
  if [ -z "$m" ]; then
    m=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null \
          | awk '/^URIs:/ {for (i=2;i<=NF;i++) print $i}' | grep -E '^https?://.*/debian/?$' | head -n1 || true)
  fi
  echo "${m:-http://deb.debian.org/debian}" | sed 's:/*$::'
}

ROOTFS=""
cleanup_rootfs() {
  [ -n "$ROOTFS" ] || return 0
  for mp in "$ROOTFS/proc" "$ROOTFS/sys" "$ROOTFS/dev/pts"; do
    if mountpoint -q "$mp" 2>/dev/null; then umount -l "$mp" || true; fi
  done
  # Never delete through a still-mounted filesystem.
  if ! grep -q " $ROOTFS/" /proc/mounts; then rm -rf "$ROOTFS"; fi
  ROOTFS=""
}
trap cleanup_rootfs EXIT

build_base_from_registry() {
  docker build -t "$BASE_IMAGE" images/base
}

build_base_with_debootstrap() {
  [ "$(id -u)" = 0 ] || { echo "build-images: debootstrap needs root" >&2; exit 1; }
  command -v debootstrap >/dev/null || { echo "build-images: debootstrap missing (run scripts/setup-docker.sh)" >&2; exit 1; }
  local mirror security t0
  mirror=$(debian_mirror)
  security="${mirror}-security"
  ROOTFS=$(mktemp -d /var/tmp/envtest-rootfs.XXXXXX)
  chmod 755 "$ROOTFS"
  log "debootstrap --variant=minbase $SUITE from $mirror into $ROOTFS"
  t0=$(now)
  debootstrap --variant=minbase --include=ca-certificates "$SUITE" "$ROOTFS" "$mirror" \
    >"$ROOTFS.log" 2>&1 || { tail -n 30 "$ROOTFS.log" >&2; exit 1; }
  log "debootstrap done in $(( $(now) - t0 ))s"

  cat >"$ROOTFS/etc/apt/sources.list" <<EOF
deb $mirror $SUITE main
deb $mirror $SUITE-updates main
deb $security $SUITE-security main
EOF
  # Never start services while building; keep the image small; don't fsync every file.
  printf '#!/bin/sh\nexit 101\n' >"$ROOTFS/usr/sbin/policy-rc.d"; chmod 755 "$ROOTFS/usr/sbin/policy-rc.d"
  cat >"$ROOTFS/etc/dpkg/dpkg.cfg.d/01-envtest-nodoc" <<'EOF'
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/lintian/*
path-exclude=/usr/share/locale/*
path-include=/usr/share/locale/locale.alias
EOF
  echo force-unsafe-io >"$ROOTFS/etc/dpkg/dpkg.cfg.d/02-envtest-unsafe-io"
  cat >"$ROOTFS/etc/apt/apt.conf.d/01-envtest" <<'EOF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Retries "3";
EOF
  cp /etc/resolv.conf "$ROOTFS/etc/resolv.conf"
  mount -t proc proc "$ROOTFS/proc"

  local in_chroot=(chroot "$ROOTFS" env -i PATH="$IMAGE_PATH" DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 HOME=/root)
  t0=$(now)
  "${in_chroot[@]}" apt-get update -qq

  local pkgs=() p
  for p in "${PACKAGES[@]}"; do
    if "${in_chroot[@]}" apt-cache show "$p" >/dev/null 2>&1; then pkgs+=("$p")
    else log "WARNING: package '$p' does not exist in $SUITE: dropped"; fi
  done
  log "apt-get install ${pkgs[*]}"
  "${in_chroot[@]}" apt-get install -y -q -o Dpkg::Use-Pty=0 "${pkgs[@]}" >"$ROOTFS.apt.log" 2>&1 \
    || { tail -n 40 "$ROOTFS.apt.log" >&2; exit 1; }
  log "packages installed in $(( $(now) - t0 ))s"

  "${in_chroot[@]}" apt-get clean
  umount -l "$ROOTFS/proc"
  rm -f "$ROOTFS/etc/dpkg/dpkg.cfg.d/02-envtest-unsafe-io" "$ROOTFS/usr/sbin/policy-rc.d"
  rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/*.bin "$ROOTFS"/var/cache/debconf/*-old \
         "$ROOTFS"/var/log/*.log "$ROOTFS"/var/log/apt/* "$ROOTFS"/tmp/* "$ROOTFS"/root/.cache \
         "$ROOTFS"/usr/share/doc/*/[!c]* "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/info/*
  : >"$ROOTFS/etc/resolv.conf"   # docker bind-mounts its own at run time
  echo envtest >"$ROOTFS/etc/hostname"

  log "docker import -> $BASE_IMAGE"
  tar -C "$ROOTFS" --numeric-owner --xattrs -c . | docker import \
    --change "ENV PATH=$IMAGE_PATH" \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["bash"]' \
    --message "envtest base: debootstrap $SUITE minbase + ${pkgs[*]}" \
    - "$BASE_IMAGE" >/dev/null
  rm -f "$ROOTFS.log" "$ROOTFS.apt.log"
  cleanup_rootfs
}

TOTAL0=$(now)

# --- envtest/base:bookworm -------------------------------------------------------------------------
if [ "$FORCE" = 0 ] && have_image "$BASE_IMAGE"; then
  log "skip  $BASE_IMAGE (exists, $(human_size "$BASE_IMAGE"))"
else
  t0=$(now)
  method=${ENVTEST_BASE_METHOD:-}
  if [ -z "$method" ]; then
    # A short probe: with no registry `docker pull` would otherwise hang on DNS/TCP timeouts.
    if timeout 20 docker pull -q debian:bookworm-slim >/dev/null 2>&1; then method=pull; else method=debootstrap; fi
  fi
  log "build $BASE_IMAGE via $method"
  case "$method" in
    pull) build_base_from_registry ;;
    debootstrap) build_base_with_debootstrap ;;
    *) echo "build-images: ENVTEST_BASE_METHOD must be pull or debootstrap" >&2; exit 2 ;;
  esac
  log "built $BASE_IMAGE in $(( $(now) - t0 ))s ($(human_size "$BASE_IMAGE"))"
fi

# --- derived images (local FROM, classic builder is fine) -------------------------------------------
build_derived() {
  local image=$1 context=$2 t0
  if [ "$FORCE" = 0 ] && have_image "$image"; then
    log "skip  $image (exists, $(human_size "$image"))"
    return
  fi
  t0=$(now)
  log "build $image from $context"
  DOCKER_BUILDKIT=0 docker build -q -t "$image" "$context" >/dev/null
  log "built $image in $(( $(now) - t0 ))s ($(human_size "$image"))"
}
build_derived "$SIDECAR_IMAGE" images/sidecar

log "done in $(( $(now) - TOTAL0 ))s"
