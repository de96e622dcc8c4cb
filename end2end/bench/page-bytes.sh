#!/usr/bin/env bash
# Benchmark: bytes on the wire for the DaemonSet list's first screen, split into the app (the
# page, its script and wasm) and the API's answers, at each COUNT of DaemonSets (default 50 and
# 5,000, each in a project of its own); time to the first row and to every row; then what
# opening the wizard and a container's terminal add. A cold browser each time, as a first
# visit. Starts its own testbed and release console; prints one Markdown table; stops all it
# started by PID.
#
#   end2end/bench/page-bytes.sh [COUNT...]
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
counts=("$@")
[[ ${#counts[@]} -gt 0 ]] || counts=(50 5000)
start_bench_testbed
for count in "${counts[@]}"; do
  "$KUBECTL" create namespace "bytes-$count" >/dev/null
  python3 "$repo_root/end2end/bench/daemonsets.py" "$count" "bytes-$count" |
    "$KUBECTL" apply -f - --server-side >/dev/null
  echo "created $count DaemonSets in project bytes-$count" >&2
done
start_bench_console
BENCH_COUNTS="${counts[*]}" node "$repo_root/end2end/bench/page-bytes.mjs"
