#!/usr/bin/env bash
# Builds the app into a folder the server serves (default target/site): the wasm module and its
# JS glue, the stylesheet and index.html. Assets live under assets/<content hash>/ so they can be
# cached forever; every file is precompressed (brotli and gzip).
#
# The module is split at its lazy routes (wasm-split-cli, as cargo-leptos does it): the list and
# sign-in load first; each other page's code comes in a split_*.wasm when it is first opened
# (code two pages share, in a chunk_*.wasm). Order matters: split the linker's output (it keeps
# the relocations the splitter reads), then wasm-bindgen, then wasm-opt on every piece.
#
# Installs what it is missing: the wasm32 target, wasm-bindgen-cli at exactly the version in
# Cargo.lock and wasm-split-cli at its pinned version (from crates.io, built once and cached),
# and the npm packages.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
profile="${APP_PROFILE:-wasm-release}"
site="${SITE_DIR:-$root/target/site}"
tools="${TOOLS_CACHE:-$HOME/.cache/daemonset-console/tools}"
log() { printf '[app build] %s\n' "$*" >&2; }

bindgen_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print }' "$root/Cargo.lock")"
bindgen_root="$tools/wasm-bindgen-$bindgen_version"
if [[ ! -x "$bindgen_root/bin/wasm-bindgen" ]]; then
  log "installing wasm-bindgen-cli $bindgen_version (once; about 6 minutes on two cores)"
  # No --locked: its lockfile names a crate version crates.io no longer serves.
  cargo install wasm-bindgen-cli --version "$bindgen_version" --root "$bindgen_root"
fi
# 0.2.4: the first that reads wasm-bindgen 0.2.128+'s describe imports.
split_version=0.2.4
split_root="$tools/wasm-split-cli-$split_version"
if [[ ! -x "$split_root/bin/wasm-split-cli" ]]; then
  log "installing wasm-split-cli $split_version (once; about 6 minutes on two cores)"
  cargo install --locked wasm_split_cli_support --version "$split_version" --features build-binary \
    --root "$split_root"
fi
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
if [[ ! -x "$root/node_modules/.bin/wasm-opt" || ! -x "$root/node_modules/.bin/esbuild" ]]; then
  (cd "$root" && npm ci --no-audit --no-fund)
fi

cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}"
cargo build -p console-app --target wasm32-unknown-unknown --profile "$profile"
# Splitting, wasm-bindgen and wasm-opt take minutes; when nothing they read has changed since the
# site was built, the site is kept as it is (the demo then starts in seconds).
inputs="$(cat "$target/wasm32-unknown-unknown/$profile/console-app.wasm" style/*.css app/index.html \
  app/build.sh app/precompress.mjs package-lock.json $(find app/js -type f | sort) | sha256sum | cut -c1-64)"
inputs="$inputs $profile $bindgen_version $split_version"
if [[ -f "$site/index.html" && "$(cat "$site.inputs" 2>/dev/null)" == "$inputs" ]]; then
  log "unchanged since the last build: kept $site"
  exit 0
fi
stage="$(mktemp -d)"
split="$(mktemp -d)"
trap 'rm -rf "$stage" "$split"' EXIT
"$split_root/bin/wasm-split-cli" --target web --out-name console \
  "$target/wasm32-unknown-unknown/$profile/console-app.wasm" "$split"
# The split pieces import the main module's table and memory by their linker names.
"$bindgen_root/bin/wasm-bindgen" --target web --no-typescript --keep-lld-exports --no-demangle \
  --out-name console --out-dir "$stage" "$split/console.wasm"
rm "$split/console.wasm"
cp "$split"/* "$stage/"
if [[ "$profile" != dev ]]; then
  # binaryen from npm: Debian's wasm-opt 108 emits a module that crashes at start-up.
  for module in "$stage"/*.wasm; do
    node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
      --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
      "$module" -o "$module"
  done
  # wasm-bindgen's glue and the splitter's loader, minified (their exports keep their names).
  # Errors only: esbuild warns of the glue's repeated import keys, which wasm-bindgen writes.
  for script in "$stage/console.js" "$stage/__wasm_split.js"; do
    node_modules/.bin/esbuild --minify --format=esm --log-level=error --allow-overwrite \
      "$script" --outfile="$script"
  done
fi
cp style/*.css "$stage/"
# The wasm memory is published so benchmarks can report it (rows live there, not in the JS heap).
printf 'import init from "./console.js";\n\nconst wasm = await init({ module_or_path: new URL("./console_bg.wasm", import.meta.url) });\nglobalThis.__consoleWasmMemory = wasm.memory;\n' >"$stage/boot.js"

# The YAML editor (Monaco) and the terminal (xterm.js), bundled by esbuild into editor/ and
# terminal/. The app imports them at run time, only on pages that use them, so they are not part
# of the start-up download; they share the content hash so they are cached forever like the rest.
node app/js/bundle.mjs "$stage"

# Subfolders (editor/, wasm-bindgen's snippets/) count towards the hash too.
hash="$(find "$stage" -type f -print0 | sort -z | xargs -0 cat | sha256sum | cut -c1-16)"
next="$site.next"
rm -rf "$next"
mkdir -p "$next/assets/$hash"
cp -r "$stage"/. "$next/assets/$hash/"
sed "s|{{ASSETS}}|/assets/$hash|g" app/index.html >"$next/index.html"
node app/precompress.mjs "$next"
rm -rf "$site"
mv "$next" "$site"
# Beside the site, not in it: the server serves every file in the site.
printf '%s\n' "$inputs" >"$site.inputs"
pieces="$(find "$site/assets/$hash" -maxdepth 1 -name '*.wasm' ! -name console_bg.wasm | wc -l)"
log "built $site (assets/$hash): wasm $(stat -c %s "$site/assets/$hash/console_bg.wasm") bytes, $(stat -c %s "$site/assets/$hash/console_bg.wasm.br") brotli, and $pieces pieces loaded when their pages open"
