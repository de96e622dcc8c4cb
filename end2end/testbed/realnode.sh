#!/usr/bin/env bash
# Real nodes beside kwok's fake ones: a kubelet with containerd and runc that runs real
# containers. Opt-in (TESTBED_REAL_NODE=1 up.sh calls it; so does end2end/test.sh), as they take
# a few seconds more and most tests need none.
#
#   end2end/testbed/realnode.sh up [COUNT]    # default 2 nodes: real-1, real-2
#   end2end/testbed/realnode.sh images FILE.tar...   # import images into every real node
#   end2end/testbed/realnode.sh down
#
# Each node lives in its own network, UTS, mount and PID namespaces (realnode-inside.sh), so
# - its hostNetwork pods have their own loopback: two console replicas on two nodes both listen
#   on 127.0.0.1:8080, as on two machines, and see the node's name as their host name;
# - what the kubelet and containerd mount, the kernel settings they check and the iptables
#   chains they add stay inside; ending the namespace's first process ends all of it.
# The node meets the control plane through Unix sockets (bridge.py): its 127.0.0.1:<apiserver
# port> leads to the apiserver, and the apiserver reaches its kubelet through the egress proxy.
# Nodes carry the taint testbed.local/real-node:NoSchedule and the label
# testbed.local/real-node=true: only pods that ask for them land there.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
here="$testbed_here"
T="$TESTBED_DIR"
eval "$("$here/build.sh" paths)"
kubectl="$KUBE_BIN/kubectl"
export KUBECONFIG="$T/kubeconfig/admin.kubeconfig"
pause_image="registry.k8s.io/pause:3.10.1"
busybox_image="testbed.local/busybox:1"

node_names() { ls -d "$T"/realnode-* 2>/dev/null | sed 's|.*/realnode-|real-|'; }

# The pause and busybox images, packed once per version into the cache beside the binaries.
testbed_images() {
  local pause_tar="$KUBE_BIN/pause-image.tar" busybox_tar="$KUBE_BIN/busybox-image.tar"
  [[ -f "$pause_tar" ]] || python3 "$here/../../deploy/image/pack.py" --tag "$pause_image" \
    --out "$pause_tar" --entrypoint /pause --add "$KUBE_BIN/pause:/pause"
  if [[ ! -f "$busybox_tar" ]]; then
    local applets=()
    for applet in $(/usr/bin/busybox --list); do
      [[ "$applet" == busybox ]] || applets+=(--symlink "/bin/busybox:/bin/$applet")
    done
    python3 "$here/../../deploy/image/pack.py" --tag "$busybox_image" --out "$busybox_tar" \
      --entrypoint /bin/sh --add /usr/bin/busybox:/bin/busybox "${applets[@]}"
  fi
  printf '%s\n' "$pause_tar" "$busybox_tar"
}

import_images() {
  local name dir tar out
  for name in $(node_names); do
    dir="$T/realnode-${name#real-}"
    for tar in "$@"; do
      # Quiet unless it fails: ctr warns about cgroup v1 at every call.
      out="$("$CONTAINERD_BIN/ctr" --address "$dir/run/containerd.sock" -n k8s.io images import "$tar" 2>&1)" ||
        die "importing $tar into $name failed: $out"
    done
  done
}

up() {
  local count="${1:-2}" api_port i
  # shellcheck disable=SC1091
  api_port="$(source "$T/env" && echo "${APISERVER##*:}")"
  for cmd in runc /usr/lib/cni/loopback /usr/bin/busybox; do
    command -v "$cmd" >/dev/null || die "missing $cmd (end2end/setup.sh test installs it)"
  done
  [[ -x "$KUBE_BIN/kubelet" && -x "$CONTAINERD_BIN/containerd" ]] ||
    die "kubelet or containerd not built (end2end/testbed/build.sh real-node)"
  mapfile -t images < <(testbed_images)
  down # every start is fresh, like up.sh's
  for ((i = 1; i <= count; i++)); do
    local name="real-$i" dir="$T/realnode-$i" kubelet_port healthz_port
    read -r kubelet_port healthz_port < <(free_ports 2)
    rm -rf "$dir"
    mkdir -p "$dir"/{config/cni,root,state,run,kubelet,sysctl}
    sign "$name" "/O=system:nodes/CN=system:node:$name" clientAuth
    write_configs "$name" "$dir" "$api_port" "$kubelet_port" "$healthz_port" "$i"
    log "real node $name (kubelet 127.0.0.1:$kubelet_port in its own network namespace)"
    # The node's side of the apiserver bridge listens inside; this end stays on the host.
    start "$name-apiserver-bridge" python3 "$here/bridge.py" unix-to-tcp "$dir/run/apiserver.sock" "127.0.0.1:$api_port"
    start "$name" unshare --net --uts --mount --propagation private --pid --fork --kill-child --mount-proc \
      "$here/realnode-inside.sh" "$dir" "$api_port" "$kubelet_port" "$i" "$CONTAINERD_BIN" "$KUBE_BIN"
  done
  for name in $(node_names); do
    wait_until "$name" 120 test -S "$T/realnode-${name#real-}/run/containerd.sock"
  done
  import_images "${images[@]}"
  for name in $(node_names); do
    wait_until "$name" 120 "$kubectl" get node "$name"
  done
  "$kubectl" wait --for=condition=Ready node -l testbed.local/real-node=true --timeout=120s >/dev/null
}

# write_configs NAME DIR API_PORT KUBELET_PORT HEALTHZ_PORT INDEX
write_configs() {
  local name="$1" dir="$2" api_port="$3" kubelet_port="$4" healthz_port="$5" index="$6"
  local pki="$T/pki"
  cat >"$dir/config/kubelet.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters: [{name: testbed, cluster: {server: "https://127.0.0.1:$api_port", certificate-authority: "$pki/ca.crt"}}]
users: [{name: $name, user: {client-certificate: "$pki/$name.crt", client-key: "$pki/$name.key"}}]
contexts: [{name: testbed, context: {cluster: testbed, user: $name}}]
current-context: testbed
EOF
  # cgroup v1 without systemd; a cgroup root of its own so nodes (and other testbeds) never
  # share one; nothing rewritten in the kernel (protectKernelDefaults only checks).
  cat >"$dir/config/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: 127.0.0.1
port: $kubelet_port
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $healthz_port
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: "$pki/ca.crt"}
authorization: {mode: Webhook}
cgroupDriver: cgroupfs
cgroupRoot: /$(basename "$T")-$name
failCgroupV1: false
failSwapOn: false
protectKernelDefaults: true
makeIPTablesUtilChains: false
containerRuntimeEndpoint: unix://$dir/run/containerd.sock
registerWithTaints: [{key: testbed.local/real-node, value: "true", effect: NoSchedule}]
evictionHard: {memory.available: 100Mi, nodefs.available: 2%, imagefs.available: 2%, nodefs.inodesFree: 2%}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
serializeImagePulls: false
podLogsDir: $dir/pod-logs
EOF
  cat >"$dir/config/cni/10-loopback.conflist" <<EOF
{"cniVersion": "1.0.0", "name": "loopback", "plugins": [{"type": "loopback"}]}
EOF
  cat >"$dir/config/containerd.toml" <<EOF
version = 4
root = "$dir/root"
state = "$dir/state"
[plugins.'io.containerd.server.v1.grpc']
  address = "$dir/run/containerd.sock"
[plugins.'io.containerd.server.v1.ttrpc']
  address = "$dir/run/containerd.sock.ttrpc"
[plugins.'io.containerd.cri.v1.images']
  [plugins.'io.containerd.cri.v1.images'.pinned_images]
    sandbox = "$pause_image"
[plugins.'io.containerd.cri.v1.runtime']
  enable_selinux = false
  # This VM withholds CAP_SYS_RESOURCE: without it runc cannot lower oom_score_adj.
  restrict_oom_score_adj = true
  [plugins.'io.containerd.cri.v1.runtime'.cni]
    bin_dirs = ["/usr/lib/cni"]
    conf_dir = "$dir/config/cni"
[plugins.'io.containerd.grpc.v1.cri']
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
EOF
  printf '%s\n' "$kubelet_port" >"$dir/kubelet-port"
}

down() {
  local name dir
  for name in $(node_names); do
    dir="$T/realnode-${name#real-}"
    if pid="$(testbed_pid "$name")"; then
      log "stopping real node $name (pid $pid)"
      # The namespace's first process ends with unshare (--kill-child), and with it every
      # process in the namespace: kubelet, containerd, shims, containers; its mounts go too.
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
    # Its Node goes too (when the apiserver is still there), so its pods are collected.
    "$kubectl" delete node "$name" --ignore-not-found --wait=false --request-timeout=5s >/dev/null 2>&1 || true
    if pid="$(testbed_pid "$name-apiserver-bridge")"; then kill -TERM "$pid" 2>/dev/null || true; fi
    rm -f "$T/pids/$name.pid" "$T/pids/$name-apiserver-bridge.pid"
    remove_cgroups "/$(basename "$T")-$name"
    # Images, containers and volumes of a node are not kept: a start is fresh (logs stay).
    [[ -f "$dir/kubelet-port" ]] && rm -f "$T/egress/$(<"$dir/kubelet-port").sock"
    rm -rf "$dir" "$T/pki/$name".{crt,key}
  done
}

# The kubelet's cgroups live in the host's cgroup tree: remove them, deepest first, once empty.
remove_cgroups() {
  local root="$1" controller
  for controller in /sys/fs/cgroup/*/; do
    [[ -d "$controller$root" ]] || continue
    find "$controller$root" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done
}

case "${1:-}" in
  up) up "${2:-2}" ;;
  images) shift; import_images "$@" ;;
  down) down ;;
  *) echo "usage: $0 up [COUNT] | images FILE.tar... | down" >&2; exit 2 ;;
esac
