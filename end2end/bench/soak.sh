#!/usr/bin/env bash
# Benchmark: load and faults. On its own testbed, two console replicas share session keys behind
# HAProxy (on loopback); the soak client (end2end/soak) signs in many sessions that each keep a
# DaemonSet list live while kubectl keeps changing DaemonSets, opens terminals that type and
# read their echo, and follows merged logs fed at a steady rate. At set moments this script
# restarts the apiserver, stops one replica with SIGTERM and starts it again, and announces a
# burst of hostile requests (the client sends it). The client prints what it measured in
# Markdown and fails on a correctness goal (a 5xx, a list unequal to the cluster at the end, a
# shell left behind; log lines lost are reported). Everything started is stopped by PID.
#
#   end2end/bench/soak.sh [--duration S] [--sessions N] [--terminals M] [--logs K] [--pages P]
#   end2end/bench/soak.sh --smoke      # 60 s, small counts, debug build: the check test.sh runs
#
# HAProxy, not nginx: it health-checks /readyz and takes a stopping replica out within a second
# (open-source nginx only notices failed requests), and it passes WebSockets and streamed
# answers through without buffering settings. It comes from Debian's package, unpacked into the
# cache (no service is installed or started).
set -euo pipefail
# Its own testbed always: it restarts the apiserver and stops everything at the end.
export TESTBED_DIR="${SOAK_TESTBED_DIR:-/tmp/daemonset-console-soak}"
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=../testbed/lib.sh
source "$repo_root/end2end/testbed/lib.sh" # free_ports

duration=600 sessions=200 terminals=50 logs=20 pages=2 smoke=0
while (($#)); do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --sessions) sessions="$2"; shift 2 ;;
    --terminals) terminals="$2"; shift 2 ;;
    --logs) logs="$2"; shift 2 ;;
    --pages) pages="$2"; shift 2 ;;
    --smoke) smoke=1 duration=60 sessions=10 terminals=3 logs=2 pages=1; shift ;;
    *) echo "usage: $0 [--duration S] [--sessions N] [--terminals M] [--logs K] [--pages P] [--smoke]" >&2; exit 2 ;;
  esac
done
# Faults at a fifth, two fifths and three fifths of the run (or as soon as the one before is over).
fault_every=$((duration / 5))
say() { printf '[soak] %s\n' "$*" >&2; }

# --- HAProxy from Debian's package, unpacked once ---------------------------------------------
haproxy_home="$HOME/.cache/daemonset-console/haproxy"
if [[ ! -x "$haproxy_home/haproxy" ]]; then
  say "unpacking Debian's haproxy into $haproxy_home"
  work="$(mktemp -d)"
  packages=(haproxy liblua5.3-0 libopentracing-c-wrapper0 libopentracing1)
  (cd "$work" && { apt-get download "${packages[@]}" 2>/dev/null || { apt-get update -qq && apt-get download "${packages[@]}"; }; })
  mkdir -p "$haproxy_home/root"
  for deb in "$work"/*.deb; do dpkg -x "$deb" "$haproxy_home/root"; done
  rm -rf "$work"
  printf '#!/bin/sh\nLD_LIBRARY_PATH=%q exec %q "$@"\n' "$haproxy_home/root/usr/lib/x86_64-linux-gnu" \
    "$haproxy_home/root/usr/sbin/haproxy" >"$haproxy_home/haproxy"
  chmod +x "$haproxy_home/haproxy"
fi

# --- builds and the testbed -------------------------------------------------------------------
cd "$repo_root"
if ((smoke)); then
  profile_dir=debug
  cargo build -p console-server -p console-soak --quiet
else
  "$repo_root/end2end/setup.sh" test >&2
  "$repo_root/app/build.sh" >&2
  profile_dir=release
  cargo build --release -p console-server -p console-soak --quiet
fi
server="$cargo_target/$profile_dir/daemonset-console"
client="$cargo_target/$profile_dir/console-soak"
pids=()
stop_all() {
  local pid
  for pid in "${pids[@]}"; do stop_pid "$pid"; done
  for file in "$run"/replica-*.pid; do [[ -f "$file" ]] && stop_pid "$(<"$file")"; done
  "$repo_root/end2end/testbed/down.sh" >/dev/null 2>&1 || true
}
run="$TESTBED_DIR/soak"
trap stop_all EXIT
"$repo_root/end2end/testbed/up.sh" >/dev/null
# shellcheck disable=SC1091
source "$TESTBED_DIR/env"
mkdir -p "$run"
: >"$run/faults"

# --- what the load works on -------------------------------------------------------------------
# soak-0…19 run nowhere (the writer changes them); soak-shell and each soak-log-N run one pod on
# kwok-worker-1 (terminals, and one followed log each).
say "creating the soak project"
"$KUBECTL" create namespace soak >/dev/null
for _ in $(seq 100); do "$KUBECTL" -n soak get serviceaccount default >/dev/null 2>&1 && break; sleep 0.1; done
daemonset() {
  cat <<YAML
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: $1, namespace: soak}
spec:
  selector: {matchLabels: {app: $1}}
  template:
    metadata: {labels: {app: $1}}
    spec:
      nodeSelector: {kubernetes.io/hostname: $2}
      containers: [{name: agent, image: registry.local/agent:1.0}]
YAML
}
{
  for n in $(seq 0 19); do daemonset "soak-$n" nowhere; done
  daemonset soak-shell kwok-worker-1
  for n in $(seq 0 $((logs - 1))); do daemonset "soak-log-$n" kwok-worker-1; done
} | "$KUBECTL" apply -f - >/dev/null
for app in soak-shell $(seq -f 'soak-log-%g' 0 $((logs - 1))); do
  for _ in $(seq 300); do
    pod="$("$KUBECTL" -n soak get pods -l "app=$app" -o jsonpath='{.items[?(@.status.phase=="Running")].metadata.name}')"
    [[ -n "$pod" && -f "$KWOK_LOG_DIR/soak/$pod/agent.log" ]] && break
    sleep 0.2
  done
done

# --- two replicas behind HAProxy --------------------------------------------------------------
write_console_accounts "$server"
read -r port_1 port_2 lb_port < <(free_ports 3)
start_replica() {
  CONSOLE_SIGN_IN_ATTEMPTS_PER_MINUTE=100000 start_console "${!1}" "$TESTBED_DIR/logs/console-$2.log" "$server"
  echo "$console_pid" >"$run/replica-$2.pid"
}
start_replica port_1 1
start_replica port_2 2
cat >"$run/haproxy.cfg" <<CFG
global
  # Two descriptors a connection; the machine allows 20,000.
  maxconn 8000
defaults
  mode http
  timeout connect 2s
  timeout client 1h
  timeout server 1h
  timeout tunnel 1h
  option redispatch
  retries 2
frontend console
  bind 127.0.0.1:$lb_port
  default_backend replicas
backend replicas
  balance roundrobin
  option httpchk GET /readyz
  default-server inter 1s fall 1 rise 1
  server replica-1 127.0.0.1:$port_1 check
  server replica-2 127.0.0.1:$port_2 check
CFG
"$haproxy_home/haproxy" -f "$run/haproxy.cfg" -db >"$TESTBED_DIR/logs/haproxy.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do curl -fsS "http://127.0.0.1:$lb_port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "http://127.0.0.1:$lb_port/readyz" >/dev/null || { cat "$TESTBED_DIR/logs/haproxy.log" >&2; exit 1; }

# --- the faults, on their own clock -----------------------------------------------------------
(
  begun=$SECONDS
  at() { local wait=$((begun + $1 - SECONDS)); ((wait <= 0)) || sleep "$wait"; }
  # The client measures each recovery from the time written beside the fault.
  announce() { echo "$1 $(($(date +%s%N) / 1000000))" >>"$run/faults"; }
  at "$fault_every"
  announce apiserver
  "$repo_root/end2end/testbed/restart.sh" kube-apiserver >&2
  announce apiserver-back
  at $((2 * fault_every))
  announce replica
  pid="$(<"$run/replica-2.pid")"
  stopping=$(date +%s%N)
  stop_pid "$pid"
  say "replica 2 exited $((($(date +%s%N) - stopping) / 1000000)) ms after SIGTERM"
  start_replica port_2 2
  at $((3 * fault_every))
  announce bad-requests
) &
pids+=($!)

say "running for $duration s: $sessions sessions, $terminals terminals, $logs log views, $pages Chromium pages"
SOAK_PAGES="$pages" SOAK_SECONDS="$duration" CONSOLE_URL="http://127.0.0.1:$lb_port" \
  node "$repo_root/end2end/bench/soak-pages.mjs" >"$run/pages.txt" 2>&1 &
pages_pid=$!
pids+=("$pages_pid")
status=0
SOAK_TOKEN="$ADMIN_TOKEN" "$client" --url "http://127.0.0.1:$lb_port" --sessions "$sessions" \
  --terminals "$terminals" --logs "$logs" --duration "$duration" --kubectl "$KUBECTL" \
  --replica-pid-file "$run/replica-1.pid" --replica-pid-file "$run/replica-2.pid" \
  --faults-file "$run/faults" || status=$?
wait "$pages_pid" || status=$?
cat "$run/pages.txt"
exit "$status"
