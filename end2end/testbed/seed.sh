#!/usr/bin/env bash
# Loads sample data into a running testbed (up.sh first). Safe to run again: it applies what is
# missing and leaves the two deliberately changed DaemonSets (fluent-bit, node-local-dns) alone.
#
#   end2end/testbed/seed.sh
#
# Expected state on the six nodes of nodes.sh (desired / ready / up-to-date):
#   monitoring/node-exporter        5/5/5  all but the tainted kwok-gpu-1 (cordoned still counts)
#   logging/fluent-bit              5/4/1  rollout stuck: new image never pulls (ImagePullBackOff)
#   logging/logrotate               3/3/3  nodeSelector role=worker, minus the tainted node
#   networking/calico-node          6/6/6  tolerates every taint, so runs on kwok-gpu-1 too
#   networking/node-local-dns       6/6/0  OnDelete: template changed, no pod replaced
#   storage/csi-hostpath-node       3/3/3  nodeSelector disktype=ssd, minus the tainted node
#   storage/local-nvme-provisioner  0/0/0  nodeSelector disktype=nvme matches no node
# User alice may edit the namespace "logging" only.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[[ -f "$TESTBED_DIR/env" ]] || die "no $TESTBED_DIR/env: run up.sh first"
# shellcheck source=/dev/null
source "$TESTBED_DIR/env"
k() { "$KUBECTL" "$@"; }

# --- namespaces (KubeSphere calls them projects) ----------------------------------------------
for ns in monitoring logging networking storage; do
  k apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Namespace
metadata:
  name: $ns
  labels:
    kubesphere.io/workspace: demo
  annotations:
    kubesphere.io/alias-name: ${ns^}
    kubesphere.io/creator: admin
EOF
done
# The console's own namespace and identity, as an install makes them (deploy/manifests/, rendered
# from the chart): the list of signed-out sessions lives there.
k create namespace daemonset-console --dry-run=client -o yaml | k apply -f - >/dev/null
k apply -f "$testbed_here/../../deploy/manifests/identity.yaml" >/dev/null

# Pods are refused until the controller-manager has made the namespace's default ServiceAccount.
for ns in monitoring logging networking storage; do
  for _ in $(seq 100); do
    k get serviceaccount default -n "$ns" >/dev/null 2>&1 && continue 2
    sleep 0.2
  done
  die "no default ServiceAccount in $ns"
done

# --- alice: edit rights in logging, nothing elsewhere -----------------------------------------
k apply -f - >/dev/null <<'EOF'
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: alice-edit
  namespace: logging
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: edit
subjects:
- apiGroup: rbac.authorization.k8s.io
  kind: User
  name: alice
EOF

# --- storage classes and a claim, for the create wizard's pickers ----------------------------
# No provisioner runs here: claims stay Pending, which is all the pickers need.
k apply -f - >/dev/null <<'EOF'
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: standard
  annotations:
    storageclass.kubernetes.io/is-default-class: "true"
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: WaitForFirstConsumer
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: fast-ssd
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: WaitForFirstConsumer
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: shared-buffers
  namespace: logging
spec:
  accessModes: [ReadWriteMany]
  storageClassName: standard
  resources:
    requests:
      storage: 5Gi
EOF

# --- DaemonSets -------------------------------------------------------------------------------
# settled NAMESPACE NAME: the controller has seen the latest spec and every scheduled pod is
# ready and available (works for OnDelete too, unlike `kubectl rollout status`).
settled() {
  local s
  for _ in $(seq 300); do
    s="$(k get daemonset "$2" -n "$1" -o jsonpath='{.metadata.generation} {.status.observedGeneration} {.status.desiredNumberScheduled} {.status.currentNumberScheduled} {.status.numberReady} {.status.numberAvailable}')"
    read -r gen seen desired current ready available <<<"$s"
    [[ "$gen" == "$seen" && "$desired" == "$current" && "$desired" == "$ready" && "$desired" == "${available:-0}" ]] && return 0
    sleep 0.2
  done
  die "daemonset $1/$2 did not settle: $s"
}
# ds: applies the manifest on stdin.
ds() { k apply -f - >/dev/null; }

# roll NAMESPACE NAME CONTAINER FROM TO MANIFEST_FUNCTION: creates the DaemonSet at image FROM,
# waits for it to settle, then sets image TO. Skipped once TO is in place, so a rerun neither
# reverts the change nor redoes it; a run cut short in between finishes it.
roll() {
  local current
  current="$(k get daemonset "$2" -n "$1" -o jsonpath="{.spec.template.spec.containers[?(@.name=='$3')].image}" 2>/dev/null || true)"
  [[ "$current" != "$5" ]] || return 0
  "$6" "$4" | ds
  settled "$1" "$2"
  k set image "daemonset/$2" -n "$1" "$3=$5" >/dev/null
}

ds <<'EOF'
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-exporter
  namespace: monitoring
  labels: {app.kubernetes.io/name: node-exporter, app.kubernetes.io/part-of: kube-prometheus}
  annotations:
    kubesphere.io/alias-name: Node Exporter
    kubesphere.io/description: Exposes hardware and OS metrics of every node to Prometheus.
spec:
  selector:
    matchLabels: {app.kubernetes.io/name: node-exporter}
  updateStrategy:
    type: RollingUpdate
    rollingUpdate: {maxUnavailable: 1}
  template:
    metadata:
      labels: {app.kubernetes.io/name: node-exporter, app.kubernetes.io/part-of: kube-prometheus}
      # Usage for metrics-server (up.sh: per container, per node when a node is named).
      annotations:
        testbed.local/usage-cpu: 4m
        testbed.local/usage-memory: 18Mi
        testbed.local/usage-memory.kwok-worker-3: 31Mi
    spec:
      hostNetwork: true
      hostPID: true
      containers:
      - name: node-exporter
        image: prom/node-exporter:v1.8.2
        args: [--path.rootfs=/host/root, --web.listen-address=127.0.0.1:9100]
        resources:
          requests: {cpu: 10m, memory: 24Mi}
          limits: {memory: 64Mi}
        volumeMounts:
        - {name: root, mountPath: /host/root, readOnly: true}
      - name: kube-rbac-proxy
        image: quay.io/brancz/kube-rbac-proxy:v0.18.1
        args: [--secure-listen-address=$(IP):9100, --upstream=http://127.0.0.1:9100/]
        env:
        - name: IP
          valueFrom: {fieldRef: {fieldPath: status.podIP}}
        ports:
        - {name: https, containerPort: 9100}
        resources:
          requests: {cpu: 10m, memory: 20Mi}
      volumes:
      - name: root
        hostPath: {path: /}
EOF

# fluent-bit: created at 3.1 and rolled out, then moved to a tag ending in "-broken". kwok's
# testbed stage (stages/pod-image-pull-backoff.yaml) keeps such pods Pending in ImagePullBackOff,
# so the first replaced pod never becomes available and maxUnavailable=1 halts the rollout for
# good: 1 pod updated, 4 old ones ready. (minReadySeconds alone cannot do this: the controller
# counts old pods as unavailable under a new minReadySeconds too and replaces them all at once.)
fluent_bit() {
  cat <<EOF
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: fluent-bit
  namespace: logging
  labels: {app.kubernetes.io/name: fluent-bit}
  annotations:
    kubesphere.io/alias-name: Fluent Bit
    kubesphere.io/description: Collects container logs on every node and forwards them to the log store.
spec:
  selector:
    matchLabels: {app.kubernetes.io/name: fluent-bit}
  updateStrategy:
    type: RollingUpdate
    rollingUpdate: {maxUnavailable: 1}
  revisionHistoryLimit: 5
  template:
    metadata:
      labels: {app.kubernetes.io/name: fluent-bit}
      annotations:
        testbed.local/usage-cpu: 35m
        testbed.local/usage-cpu.kwok-worker-1: 62m
        testbed.local/usage-memory: 58Mi
        testbed.local/usage-memory.kwok-worker-1: 96Mi
    spec:
      containers:
      - name: fluent-bit
        image: $1
        ports:
        - {name: http, containerPort: 2020}
        resources:
          requests: {cpu: 50m, memory: 64Mi}
          limits: {memory: 128Mi}
        volumeMounts:
        - {name: varlog, mountPath: /var/log, readOnly: true}
        - {name: config, mountPath: /fluent-bit/etc/}
      volumes:
      - name: varlog
        hostPath: {path: /var/log}
      - name: config
        configMap: {name: fluent-bit}
EOF
}
k apply -f - >/dev/null <<'EOF'
apiVersion: v1
kind: ConfigMap
metadata:
  name: fluent-bit
  namespace: logging
data:
  fluent-bit.conf: |
    [INPUT]
        Name tail
        Path /var/log/containers/*.log
    [OUTPUT]
        Name stdout
        Match *
EOF
roll logging fluent-bit fluent-bit fluent/fluent-bit:3.1 fluent/fluent-bit:3.2-broken fluent_bit

ds <<'EOF'
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: logrotate
  namespace: logging
  labels: {app.kubernetes.io/name: logrotate}
spec:
  selector:
    matchLabels: {app.kubernetes.io/name: logrotate}
  template:
    metadata:
      labels: {app.kubernetes.io/name: logrotate}
      # Near its memory limit on kwok-worker-2 only; above its CPU request on kwok-worker-3.
      annotations:
        testbed.local/usage-cpu: 2m
        testbed.local/usage-cpu.kwok-worker-3: 7m
        testbed.local/usage-memory: 6Mi
        testbed.local/usage-memory.kwok-worker-2: 30Mi
    spec:
      nodeSelector: {role: worker}
      containers:
      - name: logrotate
        image: busybox:1.36.1
        command: [/bin/sh, -c, "while true; do find /var/log -name '*.gz' -mtime +7 -delete; sleep 3600; done"]
        resources:
          requests: {cpu: 5m, memory: 8Mi}
          limits: {memory: 32Mi}
        volumeMounts:
        - {name: varlog, mountPath: /var/log}
      volumes:
      - name: varlog
        hostPath: {path: /var/log}
EOF

ds <<'EOF'
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: calico-node
  namespace: networking
  labels: {k8s-app: calico-node}
  annotations:
    kubesphere.io/alias-name: Calico
    kubesphere.io/description: CNI agent; tolerates every taint because every node needs a network.
spec:
  selector:
    matchLabels: {k8s-app: calico-node}
  updateStrategy:
    type: RollingUpdate
    rollingUpdate: {maxUnavailable: 1}
  template:
    metadata:
      labels: {k8s-app: calico-node}
    spec:
      hostNetwork: true
      tolerations:
      - operator: Exists
      # The testbed's real nodes (realnode.sh) could never pull this made-up image.
      affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: testbed.local/real-node, operator: DoesNotExist}]}]}}}
      initContainers:
      - name: install-cni
        image: calico/cni:v3.28.1
        command: [/opt/cni/bin/install]
        securityContext: {privileged: true}
        volumeMounts:
        - {name: cni-bin-dir, mountPath: /host/opt/cni/bin}
      containers:
      - name: calico-node
        image: calico/node:v3.28.1
        env:
        - {name: DATASTORE_TYPE, value: kubernetes}
        - {name: CALICO_NETWORKING_BACKEND, value: bird}
        securityContext: {privileged: true}
        resources:
          requests: {cpu: 250m, memory: 128Mi}
        volumeMounts:
        - {name: lib-modules, mountPath: /lib/modules, readOnly: true}
      volumes:
      - name: lib-modules
        hostPath: {path: /lib/modules}
      - name: cni-bin-dir
        hostPath: {path: /opt/cni/bin, type: DirectoryOrCreate}
EOF

# node-local-dns: OnDelete, so changing its image (after the first rollout) replaces nothing:
# every pod stays on the old template until someone deletes it.
node_local_dns() {
  cat <<EOF
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-local-dns
  namespace: networking
  labels: {k8s-app: node-local-dns}
spec:
  selector:
    matchLabels: {k8s-app: node-local-dns}
  updateStrategy:
    type: OnDelete
  template:
    metadata:
      labels: {k8s-app: node-local-dns}
    spec:
      hostNetwork: true
      dnsPolicy: Default
      tolerations:
      - operator: Exists
      # The testbed's real nodes (realnode.sh) could never pull this made-up image.
      affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: testbed.local/real-node, operator: DoesNotExist}]}]}}}
      containers:
      - name: node-cache
        image: $1
        args: [-localip, 169.254.20.10, -conf, /etc/Corefile]
        ports:
        - {name: dns, containerPort: 53, protocol: UDP}
        resources:
          requests: {cpu: 25m, memory: 5Mi}
EOF
}
roll networking node-local-dns node-cache registry.k8s.io/dns/k8s-dns-node-cache:1.23.1 \
  registry.k8s.io/dns/k8s-dns-node-cache:1.24.0 node_local_dns

ds <<'EOF'
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: csi-hostpath-node
  namespace: storage
  labels: {app.kubernetes.io/name: csi-hostpath-node}
  annotations:
    kubesphere.io/alias-name: Host path CSI driver
    kubesphere.io/description: Node plugin of the host path CSI driver, on SSD nodes only.
spec:
  selector:
    matchLabels: {app.kubernetes.io/name: csi-hostpath-node}
  template:
    metadata:
      labels: {app.kubernetes.io/name: csi-hostpath-node}
    spec:
      nodeSelector: {disktype: ssd}
      containers:
      - name: node-driver-registrar
        image: registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.11.1
        args: [--csi-address=/csi/csi.sock, --kubelet-registration-path=/var/lib/kubelet/plugins/csi-hostpath/csi.sock]
        volumeMounts:
        - {name: socket-dir, mountPath: /csi}
        - {name: registration-dir, mountPath: /registration}
      - name: hostpath
        image: registry.k8s.io/sig-storage/hostpathplugin:v1.14.0
        args: [--endpoint=unix:///csi/csi.sock, --nodeid=$(NODE_NAME)]
        env:
        - name: NODE_NAME
          valueFrom: {fieldRef: {fieldPath: spec.nodeName}}
        securityContext: {privileged: true}
        volumeMounts:
        - {name: socket-dir, mountPath: /csi}
        - {name: data-dir, mountPath: /csi-data-dir}
      volumes:
      - name: socket-dir
        hostPath: {path: /var/lib/kubelet/plugins/csi-hostpath, type: DirectoryOrCreate}
      - name: registration-dir
        hostPath: {path: /var/lib/kubelet/plugins_registry, type: Directory}
      - name: data-dir
        hostPath: {path: /var/lib/csi-hostpath-data, type: DirectoryOrCreate}
EOF

ds <<'EOF'
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: local-nvme-provisioner
  namespace: storage
  labels: {app.kubernetes.io/name: local-nvme-provisioner}
spec:
  selector:
    matchLabels: {app.kubernetes.io/name: local-nvme-provisioner}
  template:
    metadata:
      labels: {app.kubernetes.io/name: local-nvme-provisioner}
    spec:
      nodeSelector: {disktype: nvme}
      containers:
      - name: provisioner
        image: registry.k8s.io/sig-storage/local-volume-provisioner:v2.6.0
        volumeMounts:
        - {name: disks, mountPath: /mnt/disks}
      volumes:
      - name: disks
        hostPath: {path: /mnt/disks}
EOF

# --- wait for the expected picture ------------------------------------------------------------
for d in monitoring/node-exporter logging/logrotate networking/calico-node storage/csi-hostpath-node; do
  settled "${d%/*}" "${d#*/}"
done
# The stuck rollout settles once the controller has replaced exactly one pod.
stuck=""
for _ in $(seq 150); do
  stuck="$(k get daemonset fluent-bit -n logging -o jsonpath='{.status.updatedNumberScheduled}/{.status.numberReady}')"
  [[ "$stuck" == 1/4 ]] && break
  sleep 0.2
done
[[ "$stuck" == 1/4 ]] || log "warning: fluent-bit updated/ready is $stuck, expected 1/4"
k get daemonsets --all-namespaces -o wide >&2
