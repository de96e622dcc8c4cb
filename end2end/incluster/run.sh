#!/usr/bin/env bash
# The console installed in a cluster, tested end to end on a running testbed ($TESTBED_DIR):
#   1. the chart: `helm lint`, the rendered manifests in deploy/manifests/ in sync with it, and
#      the apiserver's server-side dry run of what it renders (defaults, accounts, Ingress);
#   2. the image built from source, two real kubelet nodes joined, the image loaded onto them;
#   3. `helm install` (two replicas), a real busybox agent, the browser tests of in-cluster.spec;
#   4. `helm uninstall`, then nothing of the release is left.
# Prints "N passed, 0 failed" for the checks of its own, like the testbed's smoke test.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck disable=SC1091
source "$TESTBED_DIR/env"
eval "$("$root/end2end/testbed/build.sh" paths)"
helm="$HELM_BIN/helm"
chart="$root/deploy/chart"
namespace=console-system
release=console
agents=real-agents
passed=0
log() { printf '[in-cluster] %s\n' "$*" >&2; }
pass() { passed=$((passed + 1)); log "ok: $*"; }
seconds_since() { python3 -c "import sys, time; print(f'{time.time() - float(sys.argv[1]):.1f}')" "$1"; }

cleanup() {
  "$helm" uninstall "$release" -n "$namespace" --wait >/dev/null 2>&1 || true
  "$KUBECTL" delete namespace "$namespace" "$agents" --ignore-not-found --wait=false >/dev/null 2>&1 || true
  "$root/end2end/testbed/realnode.sh" down || true
}
trap cleanup EXIT
# A previous run's namespaces may still be going away.
"$KUBECTL" delete namespace "$namespace" "$agents" --ignore-not-found --timeout=120s >/dev/null

# --- 1. the chart -----------------------------------------------------------------------------
"$helm" lint --strict "$chart" >/dev/null && pass "helm lint --strict"
"$root/deploy/render.sh" --check && pass "deploy/manifests/ is what the chart renders"
"$KUBECTL" create namespace daemonset-console --dry-run=client -o yaml | "$KUBECTL" apply -f - >/dev/null
"$KUBECTL" apply --dry-run=server -f "$root/deploy/manifests/" >/dev/null && pass "server-side dry run of deploy/manifests/"
"$helm" template "$release" "$chart" -n default \
  --set 'accounts.list[0].username=ops' --set 'accounts.list[0].passwordHash=$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA' \
  --set 'accounts.list[0].kubernetesUser=ops' --set ingress.enabled=true --set publicUrl=https://console.example.com |
  "$KUBECTL" apply --dry-run=server -f - >/dev/null && pass "server-side dry run with accounts and an Ingress"

# --- 2. image and real nodes ------------------------------------------------------------------
t0="$(date +%s.%N)"
# test.sh has just built the app; the upgrade is the same build under a new tag.
export IMAGE_SITE_DIR="$root/target/site"
image="$("$root/deploy/image/build.sh" test)"
upgrade_image="$("$root/deploy/image/build.sh" test-upgrade)"
log "image built in $(seconds_since "$t0") s: $(du -h "$image" | cut -f1)"
"$root/end2end/testbed/realnode.sh" up 2
"$root/end2end/testbed/realnode.sh" images "$image" "$upgrade_image"
pass "two real nodes Ready with the console image loaded"

# A real node agent: busybox writing a line a second, as a user of its own.
"$KUBECTL" create namespace "$agents" >/dev/null
"$KUBECTL" apply -f - >/dev/null <<EOF
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: real-agent, namespace: $agents}
spec:
  selector: {matchLabels: {app: real-agent}}
  template:
    metadata: {labels: {app: real-agent}}
    spec:
      nodeSelector: {testbed.local/real-node: "true"}
      tolerations: [{key: testbed.local/real-node, operator: Exists, effect: NoSchedule}]
      # No pod network on the testbed: the agent shares its node's, like many real node agents.
      hostNetwork: true
      securityContext: {runAsUser: 1234, runAsGroup: 1234}
      containers:
        - name: agent
          image: testbed.local/busybox:1
          imagePullPolicy: Never
          command: [/bin/sh, -c, 'i=0; while true; do i=\$((i+1)); echo "tick \$i"; sleep 1; done']
EOF

# --- 3. install and the browser tests ---------------------------------------------------------
"$KUBECTL" create namespace "$namespace" >/dev/null
"$KUBECTL" -n "$namespace" create secret generic console-accounts --from-file=accounts.yaml="$TESTBED_DIR/accounts.yaml" >/dev/null
values="$TESTBED_DIR/incluster-values.yaml"
# The testbed has no pod network and no kube-proxy (see end2end/testbed/realnode.sh): replicas
# use their node's network, where the apiserver is on loopback.
cat >"$values" <<EOF
image: {repository: daemonset-console, tag: test, pullPolicy: Never}
hostNetwork: true
probes: {host: 127.0.0.1}
updateStrategy: {maxSurge: 0, maxUnavailable: 1}
topologySpreadConstraints:
  - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule}
nodeSelector: {testbed.local/real-node: "true"}
tolerations: [{key: testbed.local/real-node, operator: Exists, effect: NoSchedule}]
env:
  - {name: KUBERNETES_SERVICE_HOST, value: 127.0.0.1}
  - {name: KUBERNETES_SERVICE_PORT, value: "${APISERVER##*:}"}
accounts: {existingSecret: console-accounts}
signIn: {attemptsPerMinute: 1000}
EOF
t0="$(date +%s.%N)"
"$helm" install "$release" "$chart" -n "$namespace" -f "$values" --wait --timeout 3m >/dev/null
log "helm install to both replicas Ready: $(seconds_since "$t0") s"
pass "helm install: two replicas Ready"
"$KUBECTL" -n "$agents" rollout status daemonset/real-agent --timeout=120s >/dev/null

INCLUSTER_NAMESPACE="$namespace" INCLUSTER_SELECTOR="app.kubernetes.io/instance=$release" \
  INCLUSTER_DEPLOYMENT="$release-daemonset-console" \
  INCLUSTER_AGENT_PROJECT="$agents" INCLUSTER_UPGRADE_TAG=test-upgrade HELM="$helm" CHART="$chart" \
  CONSOLE_TESTBED_ENV="$TESTBED_DIR/env" npx playwright test -c "$here/playwright.config.mjs"

# --- 4. uninstall -----------------------------------------------------------------------------
"$helm" uninstall "$release" -n "$namespace" --wait >/dev/null
# --wait covers the objects Helm made; their pods end within the grace period after (kubectl
# wait fails when none is left to wait for, and the check below catches any that stay).
"$KUBECTL" -n "$namespace" wait --for=delete pod -l "app.kubernetes.io/instance=$release" --timeout=120s >/dev/null 2>&1 || true
left="$("$KUBECTL" get all,configmaps,secrets,serviceaccounts,roles,rolebindings,poddisruptionbudgets,ingresses \
  -n "$namespace" -l "app.kubernetes.io/instance=$release" -o name)"
left+="$("$KUBECTL" get clusterroles,clusterrolebindings -l "app.kubernetes.io/instance=$release" -o name)"
left+="$("$KUBECTL" -n "$namespace" get configmap daemonset-console-sessions -o name --ignore-not-found)"
[[ -z "$left" ]] || { log "left behind by helm uninstall: $left"; exit 1; }
pass "helm uninstall leaves nothing of the release"
echo "$passed passed, 0 failed"
