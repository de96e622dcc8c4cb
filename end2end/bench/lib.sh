# Shared by the benchmark commands; sourced, not run.
# shellcheck shell=bash

# shellcheck source=../lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
export TESTBED_DIR="${TESTBED_DIR:-/tmp/daemonset-console-bench}"
export CONSOLE_TESTBED_ENV="$TESTBED_DIR/env"

# Builds what is missing (release server, app) and starts a fresh testbed; everything started
# is stopped by PID when the calling script exits.
start_bench_testbed() {
  cd "$repo_root"
  "$repo_root/end2end/setup.sh" test >&2
  "$repo_root/app/build.sh" >&2
  cargo build --release -p console-server --quiet
  console_pid=""
  trap stop_bench EXIT
  "$repo_root/end2end/testbed/up.sh" >/dev/null
  # shellcheck disable=SC1091
  source "$TESTBED_DIR/env"
}

# Starts the release console on the testbed; sets CONSOLE_URL.
start_bench_console() {
  write_console_accounts "$cargo_target/release/daemonset-console"
  local port
  port="$(free_port)"
  CONSOLE_SIGN_IN_ATTEMPTS_PER_MINUTE=1000 start_console "$port" "$TESTBED_DIR/logs/console.log" \
    "$cargo_target/release/daemonset-console"
  export CONSOLE_URL="http://127.0.0.1:$port"
}

stop_bench() {
  [[ -n "${console_pid:-}" ]] && stop_pid "$console_pid"
  "$repo_root/end2end/testbed/down.sh" >/dev/null 2>&1 || true
}
