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

# write_console_accounts BINARY: console accounts `admin` (every project) and `alice` (project
# logging only) with fresh random passwords, and a session key, in $TESTBED_DIR. The passwords
# are written to $TESTBED_DIR/console.env for tests and for the demo's welcome text.
write_console_accounts() {
  local binary="$1" admin_password alice_password
  admin_password="$(openssl rand -hex 8)"
  alice_password="$(openssl rand -hex 8)"
  cat >"$TESTBED_DIR/accounts.yaml" <<YAML
# Console accounts of the demo cluster. Each maps to the Kubernetes user the server impersonates.
accounts:
  - username: admin
    passwordHash: '$(printf '%s\n' "$admin_password" | "$binary" hash-password 2>/dev/null)'
    kubernetesUser: admin
    kubernetesGroups: ["system:masters"]
  - username: alice
    passwordHash: '$(printf '%s\n' "$alice_password" | "$binary" hash-password 2>/dev/null)'
    kubernetesUser: alice
YAML
  openssl rand -base64 32 >"$TESTBED_DIR/session-keys"
  chmod 600 "$TESTBED_DIR/accounts.yaml" "$TESTBED_DIR/session-keys"
  printf 'CONSOLE_ADMIN_PASSWORD=%s\nCONSOLE_ALICE_PASSWORD=%s\n' "$admin_password" "$alice_password" >"$TESTBED_DIR/console.env"
  chmod 600 "$TESTBED_DIR/console.env"
}

# start_console PORT LOG BINARY: runs the built server against the testbed in $TESTBED_DIR/env,
# with the accounts and key from write_console_accounts, and waits until it answers; sets
# console_pid.
start_console() {
  local port="$1" log_file="$2" binary="$3"
  # shellcheck disable=SC1091
  (source "$TESTBED_DIR/env" && exec "$binary" --listen "127.0.0.1:$port" \
    --site-dir "$repo_root/target/site" --kubeconfig "$KUBECONFIG" \
    --accounts-file "$TESTBED_DIR/accounts.yaml" --session-keys-file "$TESTBED_DIR/session-keys") >"$log_file" 2>&1 &
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
