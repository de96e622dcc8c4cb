# Shared by the testbed scripts; sourced, not run.
# shellcheck shell=bash

# shellcheck disable=SC2034 # used by the scripts that source this
testbed_here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export TESTBED_DIR="${TESTBED_DIR:-/tmp/daemonset-console-testbed}"
# Processes in the order they start (down.sh stops them in groups, clients first).
# shellcheck disable=SC2034
testbed_components=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok podlogs)

log() { printf '[testbed] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Prints the PID recorded for a component if that process is still ours. Every command line we
# start names the state dir, which guards against a recycled PID belonging to someone else.
testbed_pid() {
  local file="$TESTBED_DIR/pids/$1.pid" pid
  [[ -f "$file" ]] || return 1
  pid="$(<"$file")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$TESTBED_DIR" || return 1
  printf '%s\n' "$pid"
}

# All descendants of a PID (children first discovered, deepest last), found through the parent
# links in /proc, so exec shells kwok spawned and the podlogs watcher's kubectl are stopped too.
testbed_descendants() {
  local kid
  for kid in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    printf '%s\n' "$kid"
    testbed_descendants "$kid"
  done
}
