#!/usr/bin/env bash
# Renders the Helm chart into plain manifests (deploy/manifests/), for `kubectl apply -f`:
#
#   deploy/render.sh            # rewrite deploy/manifests/ from deploy/chart/
#   deploy/render.sh --check    # fail if deploy/manifests/ differs from what the chart renders
#
# Release "daemonset-console" in namespace "daemonset-console", default values, except that the
# session keys come from a Secret you create (a rendered file must not carry a generated key).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
eval "$("$root/end2end/testbed/build.sh" paths)"
[[ -x "$HELM_BIN/helm" ]] || "$root/end2end/testbed/build.sh" helm >/dev/null
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$HELM_BIN/helm" template daemonset-console "$root/deploy/chart" --namespace daemonset-console \
  --set sessions.existingSecret=daemonset-console-session-keys --output-dir "$out" >/dev/null
mkdir -p "$out/flat"
for file in "$out"/daemonset-console/templates/*.yaml; do
  # Helm's "# Source:" lines name a temporary folder; keep the template's own name.
  sed "s|^# Source: daemonset-console/templates/|# Rendered from deploy/chart/templates/|" "$file" >"$out/flat/$(basename "$file")"
done
if [[ "${1:-}" == --check ]]; then
  diff -ru "$root/deploy/manifests" "$out/flat" >&2 ||
    { echo "deploy/manifests/ is stale: run deploy/render.sh" >&2; exit 1; }
else
  rm -rf "$root/deploy/manifests"
  cp -r "$out/flat" "$root/deploy/manifests"
fi
