#!/usr/bin/env bash
# Benchmark: the DaemonSet list with many DaemonSets (default 5,000) in a real apiserver.
# Starts its own testbed and console, creates the DaemonSets (a share of them scheduled on the
# fake nodes, the rest selecting no node), then measures in Chromium: time to the first rows,
# time until every row is loaded, frame intervals while scrolling the whole list, and the
# browser's memory. Prints the figures as one Markdown table row; stops all it started by PID.
#
#   end2end/bench/daemonset-list.sh [COUNT]
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
count="${1:-5000}"
# No per-pod log files: they are not measured here and would cost a kubectl per pod.
export TESTBED_PODLOGS=0
start_bench_testbed
"$KUBECTL" create namespace bench >/dev/null
for _ in $(seq 100); do "$KUBECTL" -n bench get serviceaccount default >/dev/null 2>&1 && break; sleep 0.1; done

# One in fifty runs on every untainted node; the others select a disk no node has.
started=$(date +%s.%N)
python3 "$repo_root/end2end/bench/daemonsets.py" "$count" | "$KUBECTL" apply -f - --server-side >/dev/null
echo "created $count DaemonSets in $(python3 -c "print(round($(date +%s.%N) - $started, 1))") s" >&2

start_bench_console
BENCH_COUNT="$count" node "$repo_root/end2end/bench/daemonset-list.mjs"
