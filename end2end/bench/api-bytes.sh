#!/usr/bin/env bash
# Benchmark: bytes on the wire for the DaemonSet list's API answers through the console, with
# and without gzip, at COUNT DaemonSets (default 5,000). Pages through the list as the app does
# (500 a page) as the admin, and prints one Markdown table row. Starts its own testbed and
# console (the debug build: bytes do not depend on the profile); stops both by PID.
#
#   end2end/bench/api-bytes.sh [COUNT]
set -euo pipefail
export TESTBED_DIR="${TESTBED_DIR:-/tmp/daemonset-console-bench-bytes}"
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
count="${1:-5000}"
export TESTBED_PODLOGS=0
cd "$repo_root"
cargo build -p console-server --quiet
console_pid=""
trap stop_bench EXIT
"$repo_root/end2end/testbed/up.sh" >/dev/null
# shellcheck disable=SC1091
source "$TESTBED_DIR/env"
"$KUBECTL" create namespace daemonset-console >/dev/null
"$KUBECTL" apply -f "$repo_root/deploy/manifests/identity.yaml" >/dev/null
"$KUBECTL" create namespace bench >/dev/null
python3 "$repo_root/end2end/bench/daemonsets.py" "$count" | "$KUBECTL" apply -f - --server-side >/dev/null
write_console_accounts "$cargo_target/debug/daemonset-console"
port="$(free_port)"
start_console "$port" "$TESTBED_DIR/logs/console.log" "$cargo_target/debug/daemonset-console"
# shellcheck disable=SC1091
source "$TESTBED_DIR/console.env"

python3 - "http://127.0.0.1:$port" "$CONSOLE_ADMIN_PASSWORD" "$count" <<'PY'
import json, sys, time, urllib.parse, urllib.request, zlib

base, password, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
sign_in = urllib.request.Request(f"{base}/api/session", method="POST",
    data=json.dumps({"kind": "account", "username": "admin", "password": password}).encode(),
    headers={"Content-Type": "application/json", "Origin": base})
with urllib.request.urlopen(sign_in) as answer:
    cookie = answer.headers["Set-Cookie"].split(";")[0]

def list_bytes(encoding):
    """Bytes received for every page of the list, and the seconds it took."""
    total, token, started = 0, "", time.monotonic()
    while True:
        query = urllib.parse.urlencode({"limit": 500, **({"continue": token} if token else {})})
        request = urllib.request.Request(f"{base}/api/k8s/apis/apps/v1/namespaces/bench/daemonsets?{query}",
            headers={"Cookie": cookie, **({"Accept-Encoding": encoding} if encoding else {})})
        with urllib.request.urlopen(request) as answer:
            body = answer.read()
            total += len(body)
            if answer.headers.get("Content-Encoding") == "gzip":
                body = zlib.decompress(body, 16 + zlib.MAX_WBITS)
        page = json.loads(body)
        token = page["metadata"].get("continue", "")
        if not token:
            return total, time.monotonic() - started

plain, plain_s = list_bytes(None)
gzipped, gzip_s = list_bytes("gzip, deflate, br")
print("| date | DaemonSets | API bytes, identity | API bytes, gzip (browser's Accept-Encoding) | ratio | time, identity / gzip (loopback) |")
print("| --- | --- | --- | --- | --- | --- |")
print(f"| {time.strftime('%Y-%m-%d')} | {count} | {plain / 1024:,.0f} KiB | {gzipped / 1024:,.0f} KiB | {plain / gzipped:.1f}x | {plain_s * 1000:.0f} / {gzip_s * 1000:.0f} ms |")
PY
