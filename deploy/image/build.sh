#!/usr/bin/env bash
# Builds the console's container image from source: a static (musl) server and the built app,
# FROM scratch, running as a non-root user, with no shell. Writes a `docker save` archive:
#
#   deploy/image/build.sh [TAG]      # default tag: the server's version from Cargo.toml
#   docker load -i target/image/daemonset-console-TAG.tar      # or: ctr images import ...
#
# IMAGE_NAME (default daemonset-console) names the repository, e.g. registry.example/ops/console.
# IMAGE_SITE_DIR packs an app built already (the tests build it first) instead of building it.
# Installs what it lacks: the musl target (rustup) and Debian's musl-tools.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/server/Cargo.toml" | head -1)"
tag="${1:-$version}"
name="${IMAGE_NAME:-daemonset-console}"
target="${CARGO_TARGET_DIR:-$root/target}"
out="$root/target/image/daemonset-console-$tag.tar"
log() { printf '[image] %s\n' "$*" >&2; }

if ! command -v musl-gcc >/dev/null; then
  log "installing Debian's musl-tools"
  sudo_if_needed=()
  ((EUID == 0)) || sudo_if_needed=(sudo)
  "${sudo_if_needed[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_if_needed[@]}" apt-get install -y -qq --no-install-recommends musl-tools >/dev/null
fi
rustup target list --installed | grep -qx x86_64-unknown-linux-musl || rustup target add x86_64-unknown-linux-musl

log "building the server (static, release)"
(cd "$root" && cargo build -p console-server --release --target x86_64-unknown-linux-musl --quiet)
site="${IMAGE_SITE_DIR:-}"
if [[ -z "$site" ]]; then
  site="$root/target/site"
  SITE_DIR="$site" "$root/app/build.sh"
fi

# 65532: the conventional "nonroot" user of distroless images; nothing in the image needs a name.
python3 "$root/deploy/image/pack.py" --tag "$name:$tag" --out "$out" --user 65532:65532 \
  --entrypoint /daemonset-console --env CONSOLE_SITE_DIR=/site \
  --add "$target/x86_64-unknown-linux-musl/release/daemonset-console:/daemonset-console" \
  --add "$site:/site"
echo "$out"
