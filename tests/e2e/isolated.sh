#!/bin/sh
# Runs a command in a network namespace of its own, with only loopback (brought up): for the
# tests whose failure path would otherwise ask a resolver off the machine (DNS failure). Skips
# (77) where user and network namespaces cannot be created.
set -eu
unshare -rn true 2>/dev/null || { echo "unshare -rn is not permitted here: skipped"; exit 77; }
command -v ip >/dev/null 2>&1 || { echo "ip (iproute2) is missing: skipped"; exit 77; }
exec unshare -rn sh -c 'ip link set lo up && exec "$@"' sh "$@"
