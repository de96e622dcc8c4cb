#!/usr/bin/env bash
# Runs every test of the console: formatting and lints, unit tests, the testbed's own checks,
# server integration tests against a real control plane, and browser tests in Chromium against
# the built app. Installs and builds whatever is missing first. Starts its own testbed (in
# $TESTBED_DIR, default /tmp/daemonset-console-test-testbed, apart from the demo's) and console,
# and stops both by PID when it ends, whatever happens.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
export TESTBED_DIR="${TESTBED_DIR:-/tmp/daemonset-console-test-testbed}"
export CONSOLE_TESTBED_ENV="$TESTBED_DIR/env"
cd "$repo_root"
results="$(mktemp -d)"
phase() { printf '\n==> %s\n' "$*" >&2; }

console_pid=""
cleanup() {
  [[ -n "$console_pid" ]] && stop_pid "$console_pid"
  "$repo_root/end2end/testbed/down.sh" >/dev/null 2>&1 || true
  rm -rf "$results"
}
trap cleanup EXIT

phase "setting up (installs only what is missing)"
"$repo_root/end2end/setup.sh" test

phase "formatting and lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo clippy -p console-app --target wasm32-unknown-unknown --quiet -- -D warnings

phase "building the app and the server"
"$repo_root/app/build.sh"
cargo build -p console-server --quiet

phase "unit tests"
cargo test --workspace --lib --bins 2>&1 | tee "$results/unit.txt"
# The model's own test folder: fixtures, properties, the YAML round trip and a bounded fuzz.
cargo test -p console-model --test '*' 2>&1 | tee "$results/model.txt"

phase "starting the testbed"
"$repo_root/end2end/testbed/up.sh" >/dev/null
"$repo_root/end2end/testbed/seed.sh" >/dev/null
"$repo_root/end2end/testbed/smoke.sh" 2>&1 | tee "$results/smoke.txt"

phase "server integration tests (real apiserver)"
cargo test -p console-server --test '*' 2>&1 | tee "$results/integration.txt"

phase "browser tests (Chromium, real apiserver)"
port="$(free_port)"
# Every browser test signs in; the limit itself is proven by the server's integration tests.
export CONSOLE_SIGN_IN_ATTEMPTS_PER_MINUTE=1000
write_console_accounts "$cargo_target/debug/daemonset-console"
start_console "$port" "$TESTBED_DIR/logs/console.log" "$cargo_target/debug/daemonset-console"
CONSOLE_URL="http://127.0.0.1:$port" npx playwright test -c end2end/playwright.config.mjs 2>&1 |
  tee "$results/browser.txt"

stop_pid "$console_pid"
console_pid=""

phase "soak smoke (two replicas behind HAProxy; the apiserver and a replica restarted)"
"$repo_root/end2end/bench/soak.sh" --smoke 2>&1 | tee "$results/soak.txt"

phase "in cluster (the image, Helm, two real kubelet nodes)"
"$repo_root/end2end/incluster/run.sh" 2>&1 | tee "$results/incluster.txt"

# One closing line over every runner above (each has already failed the script if it failed).
passed=$(cat "$results"/*.txt | sed 's/\x1b\[[0-9;]*m//g' |
  grep -oE '(^test result: ok\. [0-9]+ passed|^ *[0-9]+ passed( \(|,)|^[0-9]+ passed, [0-9]+ failed)' |
  grep -oE '[0-9]+ passed' | awk '{ sum += $1 } END { print sum + 0 }')
echo
echo "$passed passed, 0 failed"
