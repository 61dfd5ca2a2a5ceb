#!/usr/bin/env bash
# Tools only the test suite needs, installed when missing (idempotent, quiet when present):
# - docker-registry (Debian's distribution/registry), so the image-pull tests can run a registry on
#   127.0.0.1 instead of reaching any outside one;
# - busybox-static, from which those tests make a 1 MB image to push and pull;
# - postgresql-client (psql) and curl, which the `envtest forward` tests run on the host, as a user would;
# - chromium, the headless browser the report.html test opens the report in (never downloaded by npm);
# - podman (with netavark and aardvark-dns, its network stack and DNS), whose Docker-compatible API
#   the Podman test runs the example on, from a service of its own on a temporary socket.
# Elsewhere than as root on Debian/Ubuntu it says what is missing; the tests that need it skip.
set -euo pipefail
say() { printf 'setup-test-tools: %s\n' "$*"; }

missing=()
command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
[ -x /bin/busybox ] || missing+=(busybox-static)
command -v psql >/dev/null 2>&1 || missing+=(postgresql-client)
command -v curl >/dev/null 2>&1 || missing+=(curl)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/podman ] || missing+=(podman netavark aardvark-dns catatonit)
[ "${#missing[@]}" = 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  say "${missing[*]} not installed; the tests that need them will fail or be skipped"
  exit 0
fi
say "installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# The package would start a registry on every interface at install time; the tests start their own
# on loopback, so forbid service starts for the duration of the install.
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && own_policy=1
fi
trap '[ "$own_policy" = 1 ] && rm -f "$policy"' EXIT
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
