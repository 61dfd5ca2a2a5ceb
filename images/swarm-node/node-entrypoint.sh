#!/bin/sh
# Starts this lab node's own dockerd in the foreground. Extra arguments go to dockerd.
#
# The node is not --privileged: here the engine's own bounding set lacks CAP_SYS_RESOURCE, so a
# privileged container (which asks for every capability) cannot start. scripts/swarm-lab.sh gives it
# every other capability, no seccomp filter, unmasked /proc and its own cgroup namespace; what
# --privileged would also have done, and dockerd needs, is done here: /sys and this container's
# cgroup hierarchies made writable (they are mounted read-only), and mounts made shared.
set -eu
mount -o remount,rw /sys
for hierarchy in /sys/fs/cgroup/*; do
  if mountpoint -q "$hierarchy"; then mount -o remount,rw,bind "$hierarchy"; fi
done
mount --make-rshared /
# A node restarted by its container keeps its /var/lib/docker volume; a stale pid file would stop dockerd.
rm -f /var/run/docker.pid /var/run/docker/containerd/containerd.pid
exec dockerd "$@"
