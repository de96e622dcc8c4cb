#!/usr/bin/env bash
# Brings up the console on a local demo cluster with sample data and prints where to open it.
# Builds whatever is missing first (cold: about 25 minutes on two cores; warm: seconds).
# Ctrl-C stops the console and the cluster.
#
#   end2end/demo.sh            # console on http://127.0.0.1:8080 (or the next free port)
#   CONSOLE_PORT=9000 end2end/demo.sh
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
export TESTBED_DIR="${TESTBED_DIR:-/tmp/daemonset-console-testbed}"
cd "$repo_root"

"$repo_root/end2end/setup.sh" demo
"$repo_root/app/build.sh"
cargo build --release -p console-server

console_pid=""
shutdown() {
  trap - EXIT INT TERM
  echo
  [[ -n "$console_pid" ]] && stop_pid "$console_pid"
  "$repo_root/end2end/testbed/down.sh" || true
}
trap shutdown EXIT INT TERM

"$repo_root/end2end/testbed/up.sh" >/dev/null
"$repo_root/end2end/testbed/seed.sh"
port="$(free_port "${CONSOLE_PORT:-8080}")"
write_console_accounts "$cargo_target/release/daemonset-console"
start_console "$port" "$TESTBED_DIR/logs/console.log" "$cargo_target/release/daemonset-console"

# shellcheck disable=SC1091
source "$TESTBED_DIR/env"
# shellcheck disable=SC1091
source "$TESTBED_DIR/console.env"
cat <<INFO

  DaemonSet console:  http://127.0.0.1:$port/

  Sign in with a console account:
    admin / $CONSOLE_ADMIN_PASSWORD    every project
    alice / $CONSOLE_ALICE_PASSWORD    the project "logging" only
  or with a Kubernetes token (tab "Kubernetes token"):
    $ADMIN_TOKEN    (user admin, every project)
    $USER_TOKEN    (user alice, "logging" only)

  The demo cluster (real kube-apiserver, fake nodes by kwok) is yours to change:
    export KUBECONFIG=$KUBECONFIG
    $KUBECTL get daemonsets -A
    $KUBECTL -n monitoring exec -it ds/node-exporter -- sh
  Console log: $TESTBED_DIR/logs/console.log · Ctrl-C stops everything.

INFO
wait "$console_pid"
