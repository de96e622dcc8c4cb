#!/usr/bin/env bash
# Restarts one running component of the testbed with the very command line it runs with: SIGTERM
# (10 s of grace, then SIGKILL), then the same program and arguments again, recorded by PID like
# the rest. For fault tests: clients see their connections drop and must find their way back.
#
#   end2end/testbed/restart.sh kube-apiserver     # waits until /readyz answers again
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=/dev/null
source "$TESTBED_DIR/env"
name="${1:?usage: $0 COMPONENT}"
pid="$(testbed_pid "$name")" || die "$name is not running in $TESTBED_DIR"
mapfile -d '' -t command <"/proc/$pid/cmdline"
kill -TERM "$pid"
for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill -KILL "$pid" 2>/dev/null || true
while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
log "$name stopped (pid $pid); starting it again"
mv -f "$TESTBED_DIR/logs/$name.log" "$TESTBED_DIR/logs/$name.log.1"
start "$name" "${command[@]}"
if [[ "$name" == kube-apiserver ]]; then
  wait_until "$name" 90 curl -fsS --max-time 2 --cacert "$CA_FILE" "$APISERVER/readyz"
fi
log "$name running again (pid $(testbed_pid "$name"))"
