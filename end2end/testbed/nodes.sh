#!/usr/bin/env bash
# Creates the testbed's fake nodes (idempotent) and waits until kwok has made them Ready.
# Called by up.sh; needs $TESTBED_DIR/env.
#
#   node             zone    role    disktype  special
#   kwok-worker-1    zone-a  worker  ssd
#   kwok-worker-2    zone-a  worker  hdd
#   kwok-worker-3    zone-b  worker  ssd
#   kwok-edge-1      zone-b  edge    hdd
#   kwok-edge-2      zone-a  edge    ssd       cordoned (spec.unschedulable)
#   kwok-gpu-1       zone-b  worker  ssd       taint dedicated=gpu:NoSchedule
#
# Nodes carry no addresses of their own: kwok fills in localhost/127.0.0.1 and its port, so
# the apiserver only ever dials loopback for exec and logs.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=/dev/null
source "$TESTBED_DIR/env"

# node NAME ZONE ROLE DISKTYPE [EXTRA_SPEC_YAML]
node() {
  cat <<EOF
---
apiVersion: v1
kind: Node
metadata:
  name: $1
  annotations:
    kwok.x-k8s.io/node: fake
    metrics.k8s.io/resource-metrics-path: /metrics/nodes/$1/metrics/resource
  labels:
    type: kwok
    kubernetes.io/hostname: $1
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    topology.kubernetes.io/region: testbed
    topology.kubernetes.io/zone: $2
    node-role.kubernetes.io/$3: ""
    role: $3
    disktype: $4
spec:
${5:-  unschedulable: false}
EOF
}

{
  node kwok-worker-1 zone-a worker ssd
  node kwok-worker-2 zone-a worker hdd
  node kwok-worker-3 zone-b worker ssd
  node kwok-edge-1 zone-b edge hdd
  node kwok-edge-2 zone-a edge ssd "  unschedulable: true"
  node kwok-gpu-1 zone-b worker ssd "  taints:
  - {key: dedicated, value: gpu, effect: NoSchedule}"
} | "$KUBECTL" apply -f - >/dev/null

"$KUBECTL" wait --for=condition=Ready node -l type=kwok --timeout=60s >/dev/null
"$KUBECTL" get nodes -l type=kwok -L topology.kubernetes.io/zone,role,disktype >&2
