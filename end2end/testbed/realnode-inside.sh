#!/usr/bin/env bash
# The first process of a real node's namespaces (started by realnode.sh through unshare): gives
# the node its own network, covers the kernel settings the kubelet checks, bridges the apiserver
# and the kubelet over Unix sockets, then runs containerd and the kubelet until it is stopped.
#
#   realnode-inside.sh DIR API_PORT KUBELET_PORT INDEX CONTAINERD_BIN KUBE_BIN
set -euo pipefail
dir="$1" api_port="$2" kubelet_port="$3" index="$4" containerd_bin="$5" kube_bin="$6"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
name="real-$index"
testbed="$(dirname "$dir")"
log() { printf '[%s] %s\n' "$name" "$*" >&2; }

# Loopback, with a second address the kubelet can report as the node's (it refuses 127/8): from
# the documentation range, on this namespace's own loopback, so no packet to it ever leaves.
hostname "$name"
ip link set lo up
ip addr add "192.0.2.$((10 + index))/32" dev lo

# The kubelet insists on these values (protectKernelDefaults); this namespace sees files that
# hold them, so the machine's own settings are neither read nor changed.
for setting in vm/overcommit_memory=1 vm/panic_on_oom=0 kernel/panic=10 kernel/panic_on_oops=1 \
  kernel/keys/root_maxkeys=1000000 kernel/keys/root_maxbytes=25000000; do
  file="$dir/sysctl/${setting%%=*}"
  mkdir -p "$(dirname "$file")"
  echo "${setting#*=}" >"$file"
  mount --bind "$file" "/proc/sys/${setting%%=*}"
done
# containerd's shims put their sockets under /run/containerd whatever the config says.
mkdir -p /run/containerd
mount -t tmpfs -o mode=0711 tmpfs /run/containerd

# The apiserver at 127.0.0.1:<its port>, as on the host; the kubelet for the egress proxy.
python3 "$here/bridge.py" tcp-to-unix "127.0.0.1:$api_port" "$dir/run/apiserver.sock" &
mkdir -p "$testbed/egress"
python3 "$here/bridge.py" unix-to-tcp "$testbed/egress/$kubelet_port.sock" "127.0.0.1:$kubelet_port" &

# The kubelet's cgroup root (cgroup v1): cpuset needs its parent's CPUs and memory nodes.
root="/$(basename "$testbed")-$name"
for controller in /sys/fs/cgroup/*/; do
  [[ -f "$controller/cgroup.procs" ]] || continue
  mkdir -p "$controller$root"
  if [[ -f "$controller/cpuset.cpus" ]]; then
    cat "$controller/cpuset.cpus" >"$controller$root/cpuset.cpus"
    cat "$controller/cpuset.mems" >"$controller$root/cpuset.mems"
  fi
done

export PATH="$containerd_bin:$PATH"
log "containerd"
containerd --config "$dir/config/containerd.toml" >"$testbed/logs/$name-containerd.log" 2>&1 &
for _ in $(seq 100); do [[ -S "$dir/run/containerd.sock" ]] && break; sleep 0.1; done
log "kubelet"
"$kube_bin/kubelet" --config="$dir/config/kubelet.yaml" --kubeconfig="$dir/config/kubelet.kubeconfig" \
  --root-dir="$dir/kubelet" --cert-dir="$dir/kubelet/pki" --hostname-override="$name" \
  --node-ip="192.0.2.$((10 + index))" --node-labels=testbed.local/real-node=true \
  >"$testbed/logs/$name-kubelet.log" 2>&1 &
# Ends when any of them does; unshare's --kill-child then ends the rest with this namespace.
wait -n
log "a process of the node exited; see $testbed/logs/$name-*.log"
