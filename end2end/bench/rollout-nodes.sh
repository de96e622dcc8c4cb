#!/usr/bin/env bash
# Benchmark: the nodes tab of a DaemonSet rolling out over many nodes (default 500) in a real
# apiserver. Starts its own testbed and console, adds that many kwok nodes in four zones, runs a
# DaemonSet on them, starts a rollout that replaces five pods at a time, and measures in
# Chromium while it runs: time to the first node rows, time until every node is in the rollout,
# frame intervals while scrolling the whole table (rows change under the scroll as pods are
# replaced), and memory. Prints the figures and one Markdown table row; stops all it started.
#
#   end2end/bench/rollout-nodes.sh [NODES]
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
count="${1:-500}"
export TESTBED_PODLOGS=0
start_bench_testbed

started=$(date +%s.%N)
python3 - "$count" <<'PY' | "$KUBECTL" apply -f - --server-side >/dev/null
import json, sys
count = int(sys.argv[1])
for i in range(count):
    name = f"bench-node-{i:04d}"
    print("---")
    print(json.dumps({
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"name": name, "annotations": {"kwok.x-k8s.io/node": "fake"},
                     "labels": {"type": "bench", "kubernetes.io/hostname": name,
                                "topology.kubernetes.io/zone": f"zone-{'abcd'[i % 4]}",
                                "role": "bench"}},
    }))
PY
"$KUBECTL" wait --for=condition=Ready node -l type=bench --timeout=300s >/dev/null
"$KUBECTL" create namespace bench >/dev/null
"$KUBECTL" apply -f - >/dev/null <<'YAML'
apiVersion: apps/v1
kind: DaemonSet
metadata: { name: agent, namespace: bench }
spec:
  selector: { matchLabels: { app: agent } }
  updateStrategy: { type: RollingUpdate, rollingUpdate: { maxUnavailable: 5 } }
  template:
    metadata: { labels: { app: agent } }
    spec:
      nodeSelector: { role: bench }
      containers: [{ name: agent, image: "registry.local/agent:1.0" }]
YAML
for _ in $(seq 600); do
  ready="$("$KUBECTL" -n bench get daemonset agent -o jsonpath='{.status.numberAvailable}')"
  [[ "${ready:-0}" == "$count" ]] && break
  sleep 0.5
done
echo "$count nodes and their pods ready in $(python3 -c "print(round($(date +%s.%N) - $started, 1))") s" >&2

start_bench_console
"$KUBECTL" -n bench set image daemonset/agent agent=registry.local/agent:2.0 >/dev/null
BENCH_COUNT="$count" node "$repo_root/end2end/bench/rollout-nodes.mjs"
