#!/usr/bin/env bash
# Benchmarks of the terminal and the log viewer on a fresh testbed and release console:
# keystroke-to-echo latency (console versus kubectl exec, same pod) and log throughput with the
# browser's memory after LINES lines (default 1,000,000). Prints the figures; stops all it
# started by PID.
#
#   end2end/bench/issue6.sh
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
start_bench_testbed
"$repo_root/end2end/testbed/seed.sh" >/dev/null
pod="$("$KUBECTL" -n logging get pods -l app.kubernetes.io/name=logrotate -o jsonpath='{.items[0].metadata.name}')"
for _ in $(seq 100); do [[ -f "$KWOK_LOG_DIR/logging/$pod/logrotate.log" ]] && break; sleep 0.1; done
sleep 1

start_bench_console
export POD="$pod"
node --experimental-websocket --no-warnings "$repo_root/end2end/bench/terminal-latency.mjs"
node "$repo_root/end2end/bench/log-throughput.mjs"
