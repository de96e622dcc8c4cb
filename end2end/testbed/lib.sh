# Shared by the testbed scripts; sourced, not run.
# shellcheck shell=bash

# shellcheck disable=SC2034 # used by the scripts that source this
testbed_here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export TESTBED_DIR="${TESTBED_DIR:-/tmp/daemonset-console-testbed}"
# Processes in the order they start (down.sh stops them in groups, clients first).
# shellcheck disable=SC2034
testbed_components=(etcd egress kube-apiserver kube-controller-manager kube-scheduler kwok metrics-server podlogs)

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

# --- shared by up.sh and realnode.sh ----------------------------------------------------------
# newkey NAME / sign NAME SUBJECT EXTENDED_KEY_USAGE [SUBJECT_ALT_NAMES]: a key, and a cert
# signed by the testbed CA, in $TESTBED_DIR/pki (EC P-256: fast, accepted by every component).
# free_ports N: N distinct free loopback ports on one line, bound together so none repeats.
free_ports() {
  python3 - "$1" <<'PY'
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}

newkey() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$TESTBED_DIR/pki/$1.key" 2>/dev/null; }
sign() {
  local name="$1" subj="$2" eku="$3" san="${4:-}" pki="$TESTBED_DIR/pki"
  newkey "$name"
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=$eku"
    [[ -z "$san" ]] || echo "subjectAltName=$san"
  } >"$pki/$name.ext"
  openssl req -new -key "$pki/$name.key" -subj "$subj" 2>/dev/null |
    openssl x509 -req -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -set_serial "0x$(openssl rand -hex 12)" \
      -days 365 -extfile "$pki/$name.ext" -out "$pki/$name.crt" 2>/dev/null
  rm -f "$pki/$name.ext"
}

# start NAME CMD...: detached (own session, no stdin) so it outlives the caller's shell and
# terminal; its PID is the command's own, as setsid execs in place.
start() {
  local name="$1"
  shift
  setsid "$@" </dev/null >"$TESTBED_DIR/logs/$name.log" 2>&1 &
  local pid=$!
  echo "$pid" >"$TESTBED_DIR/pids/$name.pid"
  # Until the child has exec'd, its command line is still this script's, which testbed_pid
  # would take for a dead component (seen on a loaded machine): wait for the exec.
  for _ in $(seq 50); do
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$TESTBED_DIR" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
}
# wait_until NAME SECONDS CMD...: polls CMD; gives up early if the component died.
wait_until() {
  local name="$1" timeout="$2" deadline
  shift 2
  deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    testbed_pid "$name" >/dev/null || { tail -n 30 "$TESTBED_DIR/logs/$name.log" >&2; die "$name exited"; }
    ((SECONDS < deadline)) || { tail -n 30 "$TESTBED_DIR/logs/$name.log" >&2; die "$name not ready after ${timeout}s"; }
    sleep 0.2
  done
}
