# Helpers shared by demo.sh and test.sh; sourced, not run.
# shellcheck shell=bash

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cargo_target="${CARGO_TARGET_DIR:-$repo_root/target}"

# A free TCP port on loopback, or the preferred one when it is free.
free_port() {
  python3 - "${1:-0}" <<'PY'
import socket, sys
preferred = int(sys.argv[1])
for port in ([preferred] if preferred else []) + [0]:
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    print(s.getsockname()[1])
    break
PY
}

# start_console PORT LOG: runs the built server against the testbed in $TESTBED_DIR/env and waits
# until it answers; sets console_pid.
start_console() {
  local port="$1" log_file="$2" binary="$3"
  # shellcheck disable=SC1091
  (source "$TESTBED_DIR/env" && exec "$binary" --listen "127.0.0.1:$port" \
    --site-dir "$repo_root/target/site" --kubeconfig "$KUBECONFIG") >"$log_file" 2>&1 &
  console_pid=$!
  for _ in $(seq 100); do
    if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$console_pid" 2>/dev/null; then
      echo "the console exited at start; its log ($log_file):" >&2
      cat "$log_file" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "the console did not become ready within 10 s; its log: $log_file" >&2
  return 1
}

# Stops a process we started, by its PID: SIGTERM (graceful shutdown), then SIGKILL after 10 s.
stop_pid() {
  local pid="$1"
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}
