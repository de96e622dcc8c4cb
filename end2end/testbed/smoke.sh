#!/usr/bin/env bash
# Checks a running, seeded testbed end to end with the built kubectl: nodes, DaemonSet states,
# exec (plain and tty), logs and logs -f, usage through metrics-server, and alice's RBAC. Exits non-zero if any check fails.
#
#   end2end/testbed/up.sh && end2end/testbed/seed.sh && end2end/testbed/smoke.sh
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=/dev/null
source "$TESTBED_DIR/env"
k() { "$KUBECTL" "$@"; }
as_alice() { "$KUBECTL" --kubeconfig=/dev/null --server="$APISERVER" --certificate-authority="$CA_FILE" --token="$USER_TOKEN" "$@"; }
passed=0 failed=0
check() {
  local what="$1"
  shift
  if "$@"; then
    passed=$((passed + 1))
    echo "ok   $what"
  else
    failed=$((failed + 1))
    echo "FAIL $what"
  fi
}
eq() { [[ "$1" == "$2" ]] || { echo "     got '$1', want '$2'" >&2; return 1; }; }
contains() { [[ "$1" == *"$2"* ]] || { echo "     '$2' not in: $1" >&2; return 1; }; }

ready_nodes="$(k get nodes -l type=kwok -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' | grep -c True)"
check "6 nodes Ready" eq "$ready_nodes" 6
check "kwok-edge-2 cordoned" eq "$(k get node kwok-edge-2 -o jsonpath='{.spec.unschedulable}')" true

# Zero counts are omitted from .status, hence the awk.
ds_state() {
  k get daemonset "$2" -n "$1" -o jsonpath='{.status.desiredNumberScheduled}/{.status.numberReady}/{.status.updatedNumberScheduled}/{.status.numberAvailable}' |
    awk -F/ -v OFS=/ '{ for (i = 1; i <= NF; i++) if ($i == "") $i = 0; print }'
}
while read -r ns name want; do
  check "daemonset $ns/$name desired/ready/updated/available = $want" eq "$(ds_state "$ns" "$name")" "$want"
done <<'EOF'
monitoring node-exporter 5/5/5/5
logging fluent-bit 5/4/1/4
logging logrotate 3/3/3/3
networking calico-node 6/6/6/6
networking node-local-dns 6/6/0/6
storage csi-hostpath-node 3/3/3/3
storage local-nvme-provisioner 0/0/0/0
EOF
check "calico-node runs on the tainted node" contains "$(k get pods -n networking -l k8s-app=calico-node -o jsonpath='{.items[*].spec.nodeName}')" kwok-gpu-1
nodes_of_exporter="$(k get pods -n monitoring -o jsonpath='{.items[*].spec.nodeName}')"
check "node-exporter stays off the tainted node" eq "${nodes_of_exporter/kwok-gpu-1/}" "$nodes_of_exporter"
check "a fluent-bit pod is in ImagePullBackOff" contains \
  "$(k get pods -n logging -l app.kubernetes.io/name=fluent-bit -o jsonpath='{.items[*].status.containerStatuses[*].state.waiting.reason}')" ImagePullBackOff

pod="$(k get pods -n logging -l app.kubernetes.io/name=logrotate -o jsonpath='{.items[0].metadata.name}')"
check "exec runs a local shell in KWOK_EXEC_DIR" eq "$(k exec -n logging "$pod" -- sh -c 'echo hi; pwd')" "hi
$KWOK_EXEC_DIR"
tty_out="$(script -qec "$KUBECTL exec -it -n logging $pod -- bash -c 'tty; echo tty-ok; sleep 0.3'" /dev/null </dev/null)"
check "exec -it gets a tty" contains "$tty_out" tty-ok

log_file="$KWOK_LOG_DIR/logging/$pod/logrotate.log"
for _ in $(seq 50); do [[ -f "$log_file" ]] && break; sleep 0.1; done
check "kubectl logs serves the pod's own file" contains "$(k logs -n logging "$pod")" "pod logging/$pod started"
follow_out="$(mktemp)"
k logs -f -n logging "$pod" >"$follow_out" 2>&1 &
follower=$!
sleep 1
line="appended-$RANDOM$RANDOM"
printf '%s stdout F %s\n' "$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)" "$line" >>"$log_file"
for _ in $(seq 50); do grep -q "$line" "$follow_out" && break; sleep 0.1; done
check "kubectl logs -f streams an appended line" grep -q "$line" "$follow_out"
kill "$follower" 2>/dev/null || true
wait "$follower" 2>/dev/null || true
rm -f "$follow_out"

# metrics-server needs two scrapes (15 s apart) after a start before it answers for a pod.
usage_of() {
  local node="$1" pod
  pod="$(k get pods -n logging -l app.kubernetes.io/name=logrotate --field-selector "spec.nodeName=$node" -o jsonpath='{.items[0].metadata.name}')"
  for _ in $(seq 60); do
    k top pod -n logging "$pod" --no-headers 2>/dev/null | awk '{ print $3 }' | grep . && return
    sleep 1
  done
}
check "kubectl top: logrotate uses 30Mi on kwok-worker-2" eq "$(usage_of kwok-worker-2)" 30Mi
check "kubectl top: logrotate uses 6Mi on kwok-worker-1" eq "$(usage_of kwok-worker-1)" 6Mi

quiet() { "$@" >/dev/null; }
check "alice may read usage in logging" quiet as_alice top pod -n logging
check "alice lists daemonsets in logging" quiet as_alice get daemonsets -n logging
check "alice reads logs in logging" quiet as_alice logs -n logging "$pod" --tail=1
forbidden="$(as_alice get daemonsets -n monitoring 2>&1 || true)"
check "alice is forbidden in monitoring" contains "$forbidden" Forbidden

echo "$passed passed, $failed failed"
((failed == 0))
