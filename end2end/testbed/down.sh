#!/usr/bin/env bash
# Stops the testbed of ${TESTBED_DIR:-/tmp/daemonset-console-testbed}: every recorded process and
# its descendants (exec shells kwok started, the podlogs watcher's kubectl), by PID only:
# SIGTERM, up to 10 s of grace, then SIGKILL. Keeps the state dir (logs, PKI) unless --purge.
#
#   end2end/testbed/down.sh [--purge]
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
T="$TESTBED_DIR"
purge=0
case "${1:-}" in
  --purge) purge=1 ;;
  "") ;;
  *) echo "usage: $0 [--purge]" >&2; exit 2 ;;
esac

# A zombie has exited already; it lingers only until whoever adopted it reaps it.
alive() {
  local state
  state="$(ps -o stat= -p "$1" 2>/dev/null)" || return 1
  [[ "$state" != Z* ]]
}

# stop PID...: TERM all, wait for all, KILL the stragglers.
stop() {
  local pid deadline=$((SECONDS + 10))
  kill -TERM "$@" 2>/dev/null || true
  for pid in "$@"; do
    while alive "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
    if alive "$pid"; then
      log "pid $pid ignored SIGTERM; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
}

stopped=0
# stop_group NAME...: stops these components together (each takes a second or two to exit
# gracefully). Descendants are listed before their parent goes (orphans lose the link to it)
# and stopped after it, so the podlogs loop cannot restart the kubectl it is watching; kwok's
# exec shells get SIGKILL from kwok itself, and whatever they started is caught here.
stop_group() {
  local name pid kid
  local -a pids=() kids=() live=()
  for name in "$@"; do
    if pid="$(testbed_pid "$name")"; then
      pids+=("$pid")
      mapfile -t -O "${#kids[@]}" kids < <(testbed_descendants "$pid")
      log "stopping $name (pid $pid)"
      stopped=$((stopped + 1))
    fi
  done
  ((${#pids[@]} == 0)) || stop "${pids[@]}"
  for kid in "${kids[@]}"; do alive "$kid" && live+=("$kid"); done
  ((${#live[@]} == 0)) || { log "stopping leftover descendants: ${live[*]}"; stop "${live[@]}"; }
  for name in "$@"; do rm -f "$T/pids/$name.pid"; done
}
# Real nodes (if any) and the other clients of the apiserver first, then the apiserver, etcd last.
"$testbed_here/realnode.sh" down
stop_group podlogs metrics-server kwok kube-scheduler kube-controller-manager
stop_group kube-apiserver
stop_group egress etcd
((stopped)) || log "nothing running in $T"

if ((purge)); then
  if [[ -f "$T/.testbed" ]]; then
    rm -rf "$T"
    log "purged $T"
  elif [[ -e "$T" ]]; then
    log "not purging $T: not a testbed state dir"
  fi
fi
