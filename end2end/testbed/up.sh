#!/usr/bin/env bash
# Starts a real local control plane (etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler) plus kwok, which plays the kubelet for fake nodes, all on loopback.
#
#   end2end/testbed/up.sh            # state in ${TESTBED_DIR:-/tmp/daemonset-console-testbed}
#   source "$TESTBED_DIR/env"        # KUBECONFIG, KUBECTL, APISERVER, tokens, ... (see README.md)
#
# Every start is fresh: new PKI, tokens, ports and an empty etcd. If the testbed of this state
# dir is already running it says so and exits 0. Stop it with down.sh.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
here="$testbed_here"
T="$TESTBED_DIR"
t0="$(date +%s.%N)"

# --- already running? -------------------------------------------------------------------------
alive=0 recorded=0
for c in "${testbed_components[@]}"; do
  [[ -f "$T/pids/$c.pid" ]] || continue
  recorded=$((recorded + 1))
  if testbed_pid "$c" >/dev/null; then alive=$((alive + 1)); fi
done
if ((alive > 0 && alive == recorded)) && [[ -f "$T/env" ]]; then
  log "already running in $T (source $T/env)"
  echo "$T/env"
  exit 0
elif ((alive > 0)); then
  log "partly running in $T: stopping the rest before starting afresh"
  "$here/down.sh"
fi

# --- binaries (built once per version; a no-op when cached) -----------------------------------
paths="$("$here/build.sh" all)"
eval "$(grep -E '^(KUBE|ETCD|KWOK|METRICS_SERVER)_BIN=' <<<"$paths")"
kubectl="$KUBE_BIN/kubectl"
for b in "$ETCD_BIN/etcd" "$KUBE_BIN/kube-apiserver" "$KUBE_BIN/kube-controller-manager" \
  "$KUBE_BIN/kube-scheduler" "$kubectl" "$KWOK_BIN/kwok" "$METRICS_SERVER_BIN/metrics-server"; do
  [[ -x "$b" ]] || die "missing binary $b"
done

# --- fresh state dir --------------------------------------------------------------------------
# Only a dir we made (marked) or an empty one is wiped, so a mistyped TESTBED_DIR is never lost.
if [[ -d "$T" && -n "$(ls -A "$T")" && ! -f "$T/.testbed" ]]; then
  die "$T exists, is not empty and is not a testbed state dir"
fi
rm -rf "$T"
mkdir -p "$T"/{pki,kubeconfig,pids,logs,etcd,kwok,podlogs,exec}
touch "$T/.testbed"
chmod 700 "$T/etcd" "$T/pki"

# Stop whatever already started if anything below fails, so a failed start leaves nothing behind.
started_ok=0
cleanup() {
  if ((started_ok == 0)); then
    log "start failed; logs are in $T/logs; stopping what was started"
    "$here/down.sh" >&2 || true
  fi
}
trap cleanup EXIT

# --- free loopback ports, chosen now ---------------------------------------------------------
read -r etcd_port etcd_peer_port api_port kcm_port sched_port kwok_port metrics_port < <(free_ports 7)
apiserver="https://127.0.0.1:$api_port"
service_cidr="10.96.0.0/24"
service_ip="10.96.0.1" # first IP of service_cidr: the in-cluster "kubernetes" service

# --- PKI (EC P-256: fast to generate, accepted by every component) ----------------------------
pki="$T/pki"
newkey ca
openssl req -x509 -new -key "$pki/ca.key" -subj "/CN=daemonset-console-testbed-ca" -days 3650 \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" \
  -out "$pki/ca.crt" 2>/dev/null
sign apiserver "/CN=kube-apiserver" serverAuth \
  "DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:127.0.0.1,IP:$service_ip"
sign admin "/O=system:masters/CN=admin" clientAuth
sign controller-manager "/CN=system:kube-controller-manager" clientAuth
sign scheduler "/CN=system:kube-scheduler" clientAuth
# kwok patches node and pod status, leases, events and reads its CRDs: masters keeps it simple.
sign kwok "/O=system:masters/CN=system:kwok-controller" clientAuth
# The apiserver's identity towards kubelets: a real one refuses exec and logs without it.
sign kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" clientAuth
# The aggregation layer: the apiserver proxies metrics.k8s.io to metrics-server as
# front-proxy-client, which metrics-server trusts (requestheader) by that name. One CA keeps the
# testbed simple; allowed-names stops any other cert of it from asserting users that way.
sign front-proxy-client "/CN=front-proxy-client" clientAuth
sign metrics-server "/CN=metrics-server" serverAuth \
  "DNS:localhost,DNS:metrics-server.kube-system.svc,IP:127.0.0.1"
# metrics-server's own identity is its service account's name, so its upstream RBAC applies as is.
sign metrics-server-client "/CN=system:serviceaccount:kube-system:metrics-server" clientAuth
newkey sa
openssl pkey -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null

# Static bearer tokens, new each start: "admin" (cluster admin) and "alice" (no groups beyond
# system:authenticated; seed.sh grants her one namespace).
admin_token="$(openssl rand -hex 24)"
user_token="$(openssl rand -hex 24)"
printf '%s,admin,admin,"system:masters"\n%s,alice,alice\n' "$admin_token" "$user_token" >"$pki/tokens.csv"
chmod 600 "$pki/tokens.csv"

# --- kubeconfigs, written by the built kubectl ------------------------------------------------
# kubeconfig NAME [--token=T | CERT_NAME]
kubeconfig() {
  local file="$T/kubeconfig/$1.kubeconfig" user="$1"
  "$kubectl" config set-cluster testbed --server="$apiserver" --certificate-authority="$pki/ca.crt" \
    --embed-certs=true --kubeconfig="$file" >/dev/null
  if [[ "$2" == --token=* ]]; then
    "$kubectl" config set-credentials "$user" "$2" --kubeconfig="$file" >/dev/null
  else
    "$kubectl" config set-credentials "$user" --client-certificate="$pki/$2.crt" \
      --client-key="$pki/$2.key" --embed-certs=true --kubeconfig="$file" >/dev/null
  fi
  "$kubectl" config set-context testbed --cluster=testbed --user="$user" --kubeconfig="$file" >/dev/null
  "$kubectl" config use-context testbed --kubeconfig="$file" >/dev/null
  chmod 600 "$file"
}
kubeconfig admin admin
kubeconfig controller-manager controller-manager
kubeconfig scheduler scheduler
kubeconfig kwok kwok
kubeconfig metrics-server metrics-server-client
kubeconfig alice --token="$user_token"
export KUBECONFIG="$T/kubeconfig/admin.kubeconfig"

# --- processes (start and wait_until are in lib.sh) ------------------------------------------
healthy() { curl -fsS --max-time 2 --cacert "$pki/ca.crt" "$1" | grep -qx ok; }
insecure_healthy() { curl -fsSk --max-time 2 "$1" | grep -qx ok; }

log "etcd on 127.0.0.1:$etcd_port"
# No fsync: the data is thrown away at every start anyway, and fsync dominates etcd's latency.
start etcd "$ETCD_BIN/etcd" --name=testbed --data-dir="$T/etcd" \
  --listen-client-urls="http://127.0.0.1:$etcd_port" --advertise-client-urls="http://127.0.0.1:$etcd_port" \
  --listen-peer-urls="http://127.0.0.1:$etcd_peer_port" --initial-advertise-peer-urls="http://127.0.0.1:$etcd_peer_port" \
  --initial-cluster="testbed=http://127.0.0.1:$etcd_peer_port" --unsafe-no-fsync --log-level=warn
wait_until etcd 30 curl -fsS --max-time 2 "http://127.0.0.1:$etcd_port/health"

# Every connection from the apiserver to a kubelet goes through this proxy (bridge.py): to kwok
# on loopback, or over a Unix socket into a real node's own network namespace (realnode.sh).
mkdir -p "$T/egress"
start egress python3 "$here/bridge.py" egress "$T/egress/proxy.sock" "$T/egress"
cat >"$T/egress/config.yaml" <<EOF
apiVersion: apiserver.k8s.io/v1beta1
kind: EgressSelectorConfiguration
egressSelections:
  - name: cluster
    connection:
      proxyProtocol: HTTPConnect
      transport:
        uds:
          udsName: $T/egress/proxy.sock
EOF
wait_until egress 10 test -S "$T/egress/proxy.sock"

log "kube-apiserver on $apiserver"
# --advertise-address: without it the apiserver looks for a default route, which loopback-only
# machines lack. --endpoint-reconciler-type=none: nothing to advertise. kubelets (kwok) are
# reached by the Hostname address kwok sets, localhost.
start kube-apiserver "$KUBE_BIN/kube-apiserver" \
  --etcd-servers="http://127.0.0.1:$etcd_port" \
  --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$api_port" \
  --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" \
  --client-ca-file="$pki/ca.crt" --token-auth-file="$pki/tokens.csv" \
  --authorization-mode=Node,RBAC --allow-privileged=true \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$pki/sa.pub" --service-account-signing-key-file="$pki/sa.key" \
  --service-cluster-ip-range="$service_cidr" --endpoint-reconciler-type=none \
  --kubelet-preferred-address-types=Hostname,InternalIP \
  --kubelet-client-certificate="$pki/kubelet-client.crt" --kubelet-client-key="$pki/kubelet-client.key" \
  --egress-selector-config-file="$T/egress/config.yaml" \
  --requestheader-client-ca-file="$pki/ca.crt" --requestheader-allowed-names=front-proxy-client \
  --requestheader-username-headers=X-Remote-User --requestheader-group-headers=X-Remote-Group \
  --requestheader-extra-headers-prefix=X-Remote-Extra- \
  --proxy-client-cert-file="$pki/front-proxy-client.crt" --proxy-client-key-file="$pki/front-proxy-client.key" \
  --profiling=false
wait_until kube-apiserver 90 healthy "$apiserver/readyz"

log "kube-controller-manager and kube-scheduler"
kcm_kc="$T/kubeconfig/controller-manager.kubeconfig"
start kube-controller-manager "$KUBE_BIN/kube-controller-manager" \
  --kubeconfig="$kcm_kc" --authentication-kubeconfig="$kcm_kc" --authorization-kubeconfig="$kcm_kc" \
  --bind-address=127.0.0.1 --secure-port="$kcm_port" --leader-elect=false \
  --use-service-account-credentials=true \
  --service-account-private-key-file="$pki/sa.key" --root-ca-file="$pki/ca.crt" \
  --cluster-signing-cert-file="$pki/ca.crt" --cluster-signing-key-file="$pki/ca.key" \
  --service-cluster-ip-range="$service_cidr" --profiling=false
sched_kc="$T/kubeconfig/scheduler.kubeconfig"
start kube-scheduler "$KUBE_BIN/kube-scheduler" \
  --kubeconfig="$sched_kc" --authentication-kubeconfig="$sched_kc" --authorization-kubeconfig="$sched_kc" \
  --bind-address=127.0.0.1 --secure-port="$sched_port" --leader-elect=false --profiling=false

# kwok reads its CRDs at start, and its exec/logs rules must exist before the first request.
log "kwok CRDs, exec and logs rules"
"$kubectl" apply --server-side -f "$KWOK_BIN/kustomize/crd/bases" >/dev/null
"$kubectl" wait --for=condition=Established crd --all --timeout=60s >/dev/null
# Exec: any container of any pod on a kwok node runs the command as a local process (as this
# user) in one shared scratch dir; HOME points there too so shells do not read ~/.bashrc.
# Logs: any container falls back to one shared CRI-format file; podlogs.sh gives every pod its
# own files through namespaced Logs objects (see podlogs.sh for the path convention).
printf '%s stdout F testbed: no per-pod log file yet (podlogs.sh creates %s/<namespace>/<pod>/<container>.log)\n' \
  "$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)" "$T/podlogs" >"$T/podlogs/default.log"
"$kubectl" apply -f - >/dev/null <<EOF
apiVersion: kwok.x-k8s.io/v1alpha1
kind: ClusterExec
metadata:
  name: testbed-local-shell
spec:
  execs:
  - local:
      workDir: $T/exec
      envs:
      - {name: HOME, value: $T/exec}
      - {name: TESTBED_EXEC, value: "1"}
---
apiVersion: kwok.x-k8s.io/v1alpha1
kind: ClusterLogs
metadata:
  name: testbed-default-logs
spec:
  logs:
  - logsFile: $T/podlogs/default.log
    previousLogsFile: $T/podlogs/default.log
    follow: true
EOF

# Usage for metrics-server: kwok's own /metrics/resource emulation (one path per node; nodes.sh
# points each node at its path), fed by pod annotations, each container of the pod using
#   testbed.local/usage-cpu.<node>, else testbed.local/usage-cpu, else 1m   (memory alike: 1Mi)
# so seed data can give an agent different usage on different nodes.
"$kubectl" apply -f "$KWOK_BIN/kustomize/metrics/resource/metrics-resource.yaml" >/dev/null
usage_of() {
  local key="testbed.local/usage-$1"
  cat <<EOF
        expression: |
          "$key." + pod.spec.nodeName in pod.metadata.annotations
          ? Quantity(pod.metadata.annotations["$key." + pod.spec.nodeName])
          : "$key" in pod.metadata.annotations
          ? Quantity(pod.metadata.annotations["$key"])
          : Quantity("$2")
EOF
}
"$kubectl" apply -f - >/dev/null <<EOF
apiVersion: kwok.x-k8s.io/v1alpha1
kind: ClusterResourceUsage
metadata:
  name: testbed-usage-from-annotations
spec:
  usages:
  - usage:
      cpu:
$(usage_of cpu 1m)
      memory:
$(usage_of memory 1Mi)
EOF

# Stages come from kwok's own module (node initialize, heartbeat with lease, pod ready, complete,
# delete) plus the testbed's ImagePullBackOff stage; kwok exits with "no stages found" without.
stage_dir="$KWOK_BIN/kustomize/stage"
for f in "$stage_dir/node/fast/node-initialize.yaml" \
  "$stage_dir/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml" \
  "$stage_dir/pod/fast/pod-ready.yaml" "$stage_dir/pod/fast/pod-complete.yaml" \
  "$stage_dir/pod/fast/pod-delete.yaml" "$here/stages/pod-image-pull-backoff.yaml"; do
  echo "---"
  cat "$f"
done >"$T/kwok/stages.yaml"

log "kwok on 127.0.0.1:$kwok_port"
# Exec, Logs, ... are enabled as CRDs (watched live), so tests may add their own Exec/Logs
# objects; kwok refuses the same kind in both --config and --enable-crds, so the cluster-wide
# rules above are objects too. Pod IPs come from --cidr (kwok's default /24 runs out at scale).
start kwok "$KWOK_BIN/kwok" --kubeconfig="$T/kubeconfig/kwok.kubeconfig" --config="$T/kwok/stages.yaml" \
  --manage-all-nodes=false --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
  --node-name=localhost --node-ip=127.0.0.1 --node-port="$kwok_port" \
  --server-address="127.0.0.1:$kwok_port" --cidr=10.244.0.0/16 --node-lease-duration-seconds=40 \
  --enable-crds=Exec,ClusterExec,Logs,ClusterLogs,Attach,ClusterAttach,PortForward,ClusterPortForward,Metric,ClusterResourceUsage,ResourceUsage

wait_until kube-controller-manager 60 insecure_healthy "https://127.0.0.1:$kcm_port/healthz"
wait_until kube-scheduler 60 insecure_healthy "https://127.0.0.1:$sched_port/healthz"
wait_until kwok 60 curl -fsS --max-time 2 "http://127.0.0.1:$kwok_port/healthz"

# metrics-server, as its upstream manifests register it, except where it runs: on loopback, so
# its Service is an ExternalName for localhost on its port (the aggregator dials that, through
# the egress proxy). It scrapes kwok's nodes only (real nodes live in network namespaces of
# their own), every 15 s; usage appears after two scrapes.
log "metrics-server on 127.0.0.1:$metrics_port"
ms_kc="$T/kubeconfig/metrics-server.kubeconfig"
# Its RBAC first: it reads the front proxy's CA from a ConfigMap as it starts.
"$kubectl" apply -f "$METRICS_SERVER_BIN/manifests/rbac.yaml" >/dev/null
start metrics-server "$METRICS_SERVER_BIN/metrics-server" \
  --kubeconfig="$ms_kc" --authentication-kubeconfig="$ms_kc" --authorization-kubeconfig="$ms_kc" \
  --bind-address=127.0.0.1 --secure-port="$metrics_port" \
  --tls-cert-file="$pki/metrics-server.crt" --tls-private-key-file="$pki/metrics-server.key" \
  --kubelet-preferred-address-types=InternalIP,Hostname --kubelet-use-node-status-port \
  --kubelet-insecure-tls --node-selector=type=kwok --metric-resolution=15s
"$kubectl" apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Service
metadata:
  name: metrics-server
  namespace: kube-system
  labels: {k8s-app: metrics-server}
spec:
  type: ExternalName
  externalName: localhost
  ports:
  - {name: https, port: $metrics_port, protocol: TCP}
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata:
  name: v1beta1.metrics.k8s.io
  labels: {k8s-app: metrics-server}
spec:
  service: {name: metrics-server, namespace: kube-system, port: $metrics_port}
  group: metrics.k8s.io
  version: v1beta1
  caBundle: $(base64 -w0 "$pki/ca.crt")
  groupPriorityMinimum: 100
  versionPriority: 100
EOF
wait_until metrics-server 60 insecure_healthy "https://127.0.0.1:$metrics_port/livez"

# --- env file ---------------------------------------------------------------------------------
{
  echo "# Written by end2end/testbed/up.sh; source it. Valid until the next up.sh of this dir."
  printf 'export TESTBED_DIR=%q\n' "$T"
  printf 'export KUBECONFIG=%q\n' "$T/kubeconfig/admin.kubeconfig"
  printf 'export KUBECTL=%q\n' "$kubectl"
  printf 'export APISERVER=%q\n' "$apiserver"
  printf 'export CA_FILE=%q\n' "$pki/ca.crt"
  printf 'export ADMIN_TOKEN=%q\n' "$admin_token"
  printf 'export USER_NAME=alice\n'
  printf 'export USER_TOKEN=%q\n' "$user_token"
  printf 'export USER_KUBECONFIG=%q\n' "$T/kubeconfig/alice.kubeconfig"
  echo "# Pod logs: append CRI lines ('<RFC3339Nano> stdout F <text>') to"
  echo "# \$KWOK_LOG_DIR/<namespace>/<pod>/<container>.log; kubectl logs -f streams them."
  printf 'export KWOK_LOG_DIR=%q\n' "$T/podlogs"
  echo "# kubectl exec into any pod on a kwok node runs a local process in this dir."
  printf 'export KWOK_EXEC_DIR=%q\n' "$T/exec"
  printf 'export KWOK_ADDRESS=%q\n' "127.0.0.1:$kwok_port"
  printf 'export ETCD_ENDPOINT=%q\n' "http://127.0.0.1:$etcd_port"
  echo "# metrics.k8s.io is served by this metrics-server (kubectl top works after ~30 s)."
  printf 'export METRICS_SERVER_ADDRESS=%q\n' "127.0.0.1:$metrics_port"
} >"$T/env"

# Per-pod log files cost one kubectl apply per new pod; TESTBED_PODLOGS=0 turns that off for
# scale runs (every container then serves $T/podlogs/default.log).
if [[ "${TESTBED_PODLOGS:-1}" != 0 ]]; then
  log "podlogs watcher"
  start podlogs "$here/podlogs.sh" "$T"
fi


log "fake nodes"
"$here/nodes.sh"
# Real kubelet nodes, opt-in: they take seconds more, and most tests need none.
if [[ "${TESTBED_REAL_NODE:-0}" == 1 ]]; then
  "$here/realnode.sh" up
fi

started_ok=1
elapsed="$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$t0" "$(date +%s.%N)")"
log "up in ${elapsed}s; source $T/env"
echo "$T/env"
