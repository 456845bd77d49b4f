#!/bin/sh
# Prints node's flags for the server, sized to the memory it may use (docs/performance.md#memory):
# the limit given as the first argument (bytes), else the container's (cgroup v2 memory.max, or
# v1 memory.limit_in_bytes), else 256 MiB, what the Kubernetes manifest plans a replica for.
# V8's old generation gets half of it and each semi-space of the young generation 1/8 (32 MB at
# most: a request's objects live across upstream round trips, and a smaller young generation
# promotes more of them); the rest is code, stacks, buffers and native memory. No source maps:
# they cost CPU on every stack trace. `npm start` and the Dockerfile both run node with these flags.
limit=${1:-$(cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null)}
case "$limit" in '' | *[!0-9]*) limit=0 ;; esac
mib=$((limit / 1048576))
# No limit ("max", or cgroup v1's number near 2^63): the planned 256 MiB.
if [ "$mib" -le 0 ] || [ "$mib" -ge 1048576 ]; then mib=256; fi
semi=$((mib / 8))
if [ "$semi" -gt 32 ]; then semi=32; fi
echo "--max-old-space-size=$((mib / 2)) --max-semi-space-size=$semi"
