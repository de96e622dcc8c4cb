#!/usr/bin/env bash
# Builds the control-plane binaries from Go modules through the module proxy, once per version.
# Binaries are cached outside the repository; a present binary is never rebuilt.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"
cache="${TESTBED_CACHE:-$HOME/.cache/daemonset-console/testbed}"
kube_bin="$cache/kubernetes-$KUBE_VERSION"
etcd_bin="$cache/etcd-$ETCD_VERSION"
kwok_bin="$cache/kwok-$KWOK_VERSION"
containerd_bin="$cache/containerd-$CONTAINERD_VERSION"
helm_bin="$cache/helm-$HELM_VERSION"
metrics_server_bin="$cache/metrics-server-$METRICS_SERVER_VERSION"
export CGO_ENABLED=0 GOFLAGS=-buildvcs=false

log() { printf '[testbed build] %s\n' "$*" >&2; }

build_kubernetes() {
  local missing=()
  for cmd in kube-apiserver kube-controller-manager kube-scheduler kubectl "$@"; do
    [[ -x "$kube_bin/$cmd" ]] || missing+=("$cmd")
  done
  ((${#missing[@]})) || return 0
  log "building ${missing[*]} $KUBE_VERSION (cold: tens of minutes)"
  local work="$cache/src/kubernetes-$KUBE_VERSION"
  mkdir -p "$work" "$kube_bin"
  # k8s.io/kubernetes requires its staging modules at v0.0.0 and replaces them with local
  # paths, so a consumer module has to point each one at its published twin.
  # The kubelet came later than the control plane: a work dir made before it is tidied again.
  local tools
  tools="$(printf 'package tools\n\nimport (\n\t_ "k8s.io/kubernetes/cmd/kube-apiserver/app"\n\t_ "k8s.io/kubernetes/cmd/kube-controller-manager/app"\n\t_ "k8s.io/kubernetes/cmd/kube-scheduler/app"\n\t_ "k8s.io/kubernetes/cmd/kubelet/app"\n\t_ "k8s.io/kubectl/pkg/cmd"\n)\n')"
  if [[ -f "$work/go.sum" && "$(cat "$work/tools.go" 2>/dev/null)" != "$tools" ]]; then
    printf '%s\n' "$tools" >"$work/tools.go"
    (cd "$work" && go mod tidy)
  fi
  if [[ ! -f "$work/go.sum" ]]; then
    (
      cd "$work"
      rm -f go.mod
      go mod init testbed.local/kubernetes >/dev/null 2>&1
      local upstream
      upstream="$(GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
      local godebug
      godebug="$(sed -n '/^godebug/,/^)/p' "$upstream")"
      {
        echo
        [[ -n "$godebug" ]] && echo "$godebug"
        echo "require k8s.io/kubernetes $KUBE_VERSION"
        echo "replace ("
        grep -E '^\s*k8s\.io/[a-z0-9-]+ => \./staging/' "$upstream" |
          awk -v v="$KUBE_STAGING_VERSION" '{print "\t" $1 " => " $1 " " v}'
        echo ")"
      } >>go.mod
      printf '%s\n' "$tools" >tools.go
      go mod tidy
    )
  fi
  local major minor
  major="${KUBE_VERSION#v}"; major="${major%%.*}"
  minor="${KUBE_VERSION#v*.}"; minor="${minor%%.*}"
  local ldflags=""
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
    ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  for cmd in "${missing[@]}"; do
    local pkg="k8s.io/kubernetes/cmd/$cmd"
    log "go build $cmd"
    (cd "$work" && go build -trimpath -ldflags "-s -w$ldflags" -o "$kube_bin/$cmd.tmp" "$pkg")
    mv "$kube_bin/$cmd.tmp" "$kube_bin/$cmd"
  done
}

build_etcd() {
  [[ -x "$etcd_bin/etcd" ]] && return 0
  log "building etcd $ETCD_VERSION"
  local work="$cache/src/etcd-$ETCD_VERSION"
  mkdir -p "$work" "$etcd_bin"
  (
    cd "$work"
    if [[ ! -f go.sum ]]; then
      rm -f go.mod
      go mod init testbed.local/etcd >/dev/null 2>&1
      printf 'package tools\n\nimport _ "go.etcd.io/etcd/server/v3"\n' >tools.go
      go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION"
      go mod tidy
    fi
    go build -trimpath -ldflags "-s -w" -o "$etcd_bin/etcd.tmp" go.etcd.io/etcd/server/v3
  )
  mv "$etcd_bin/etcd.tmp" "$etcd_bin/etcd"
}

# go_install DIR PACKAGE@VERSION: a program whose module builds as published, into DIR.
go_install() {
  mkdir -p "$1"
  GOBIN="$1" go install -trimpath -ldflags "-s -w" "$2"
}

# keep_from_module DIR MODULE@VERSION FOLDER NAME: a copy of a folder that ships inside the
# module (CRDs, manifests) beside its binary, as DIR/NAME.
keep_from_module() {
  local mod
  mod="$(go env GOMODCACHE)/$2"
  rm -rf "${1:?}/$4"
  cp -r "$mod/$3" "$1/$4"
  chmod -R u+w "$1/$4"
}

build_kwok() {
  [[ -x "$kwok_bin/kwok" ]] && return 0
  log "building kwok $KWOK_VERSION"
  go_install "$kwok_bin" "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
  # Its CRDs, stages and metrics ship inside the module.
  keep_from_module "$kwok_bin" "sigs.k8s.io/kwok@$KWOK_VERSION" kustomize kustomize
}

# containerd and its runc shim for the real node; ctr loads images into it.
build_containerd() {
  [[ -x "$containerd_bin/containerd" && -x "$containerd_bin/containerd-shim-runc-v2" && -x "$containerd_bin/ctr" ]] && return 0
  log "building containerd $CONTAINERD_VERSION"
  local cmd
  for cmd in containerd containerd-shim-runc-v2 ctr; do
    go_install "$containerd_bin" "github.com/containerd/containerd/v2/cmd/$cmd@$CONTAINERD_VERSION"
  done
}

# The sandbox ("pause") image's one program, from the kubernetes module's own source.
build_pause() {
  [[ -x "$kube_bin/pause" ]] && return 0
  log "building pause"
  local src
  src="$(GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')/build/pause/linux/pause.c"
  mkdir -p "$kube_bin"
  gcc -Os -static -o "$kube_bin/pause.tmp" "$src" -DVERSION="$KUBE_VERSION"
  mv "$kube_bin/pause.tmp" "$kube_bin/pause"
}

# metrics-server, registered through the aggregation layer; kwok plays the kubelets it scrapes.
build_metrics_server() {
  [[ -x "$metrics_server_bin/metrics-server" ]] && return 0
  log "building metrics-server $METRICS_SERVER_VERSION"
  go_install "$metrics_server_bin" "sigs.k8s.io/metrics-server/cmd/metrics-server@$METRICS_SERVER_VERSION"
  # Its RBAC and APIService ship inside the module.
  keep_from_module "$metrics_server_bin" "sigs.k8s.io/metrics-server@$METRICS_SERVER_VERSION" manifests/base manifests
}

build_helm() {
  [[ -x "$helm_bin/helm" ]] && return 0
  log "building helm $HELM_VERSION"
  go_install "$helm_bin" "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
}

case "${1:-all}" in
  all) build_etcd; build_kwok; build_kubernetes; build_metrics_server ;;
  # What a real node and an in-cluster install add: kubelet, containerd, pause and helm.
  real-node) build_kubernetes kubelet; build_pause; build_containerd; build_helm ;;
  etcd) build_etcd ;;
  kwok) build_kwok ;;
  kubernetes) build_kubernetes ;;
  containerd) build_containerd ;;
  helm) build_helm ;;
  metrics-server) build_metrics_server ;;
  paths) ;;
  *) echo "usage: $0 [all|real-node|etcd|kwok|kubernetes|containerd|helm|metrics-server|paths]" >&2; exit 2 ;;
esac
printf 'KUBE_BIN=%s\nETCD_BIN=%s\nKWOK_BIN=%s\nCONTAINERD_BIN=%s\nHELM_BIN=%s\nMETRICS_SERVER_BIN=%s\n' \
  "$kube_bin" "$etcd_bin" "$kwok_bin" "$containerd_bin" "$helm_bin" "$metrics_server_bin"
