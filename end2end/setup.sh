#!/usr/bin/env bash
# Installs what the console needs on a fresh Debian machine, and nothing that is already there:
#   end2end/setup.sh demo   build tools, npm packages, the Go-built control plane
#   end2end/setup.sh test   the same, plus Chromium and CJK fonts for the browser tests, and for
#                           the in-cluster tests: musl (the image's static server), runc, CNI
#                           plugins, busybox (the real nodes' test agent), kubelet, containerd
#                           and helm
# wasm-bindgen-cli (pinned to Cargo.lock) is installed by app/build.sh when it first builds.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
purpose="${1:-demo}"
log() { printf '[setup] %s\n' "$*" >&2; }

apt_packages=(openssl python3 curl ca-certificates)
[[ "$purpose" == test ]] && apt_packages+=(chromium fonts-noto-cjk musl-tools runc containernetworking-plugins busybox-static iproute2)
missing=()
for package in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  sudo_if_needed=()
  ((EUID == 0)) || sudo_if_needed=(sudo)
  "${sudo_if_needed[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_if_needed[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

for tool in go cargo rustup node npm; do
  command -v "$tool" >/dev/null || { log "error: $tool is not installed; install it first (see README.md)"; exit 1; }
done
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
if [[ "$purpose" == test ]]; then
  rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt
  rustup component list --installed | grep -q '^clippy' || rustup component add clippy
  rustup target list --installed | grep -qx x86_64-unknown-linux-musl || rustup target add x86_64-unknown-linux-musl
fi

# npm ci only when the lockfile changed since the last install.
stamp="$root/node_modules/.package-lock.json"
if [[ ! -f "$stamp" || "$root/package-lock.json" -nt "$stamp" ]]; then
  log "installing npm packages"
  (cd "$root" && npm ci --no-audit --no-fund --loglevel=error)
fi

"$root/end2end/testbed/build.sh" all >/dev/null
[[ "$purpose" == test ]] && "$root/end2end/testbed/build.sh" real-node >/dev/null
log "ready ($purpose)"
