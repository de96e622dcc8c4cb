#!/usr/bin/env bash
# Gives every pod its own container log files, served by kwok for `kubectl logs [-f]`.
# Started in the background by up.sh (`podlogs.sh STATE_DIR`); stopped by down.sh.
#
# Path convention (KWOK_LOG_DIR in the env file is $STATE_DIR/podlogs):
#   $KWOK_LOG_DIR/<namespace>/<pod>/<container>.log           current log, CRI format
#   $KWOK_LOG_DIR/<namespace>/<pod>/<container>.previous.log  served for `kubectl logs --previous`
# One CRI line is `<RFC3339Nano timestamp> <stdout|stderr> F <text>`, for example
#   printf '%s stdout F %s\n' "$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)" 'hello' >>"$file"
# and an appended line reaches every `kubectl logs -f` of that container at once (inotify).
#
# How: this watches pods and, for each new one, applies a namespaced kwok `Logs` object named
# after the pod (owned by it, so it is garbage-collected with it) that points each container at
# its file, and only then creates the files: once a .log file exists its rule is in place.
# Containers of pods without a rule yet fall back to $KWOK_LOG_DIR/default.log (ClusterLogs).
set -euo pipefail
T="${1:?usage: podlogs.sh STATE_DIR}"
# shellcheck source=/dev/null
source "$T/env"
root="$T/podlogs"

now() { date -u +%Y-%m-%dT%H:%M:%S.%NZ; }

# setup NAMESPACE POD UID CONTAINER,CONTAINER,...
setup() {
  local ns="$1" pod="$2" uid="$3" c dir="$root/$1/$2"
  local -a containers
  IFS=, read -r -a containers <<<"${4%,}"
  ((${#containers[@]})) || return 0
  [[ "$(cat "$dir/.uid" 2>/dev/null)" != "$uid" ]] || return 0
  mkdir -p "$dir"
  {
    printf 'apiVersion: kwok.x-k8s.io/v1alpha1\nkind: Logs\nmetadata:\n'
    printf '  name: %s\n  namespace: %s\n' "$pod" "$ns"
    printf '  ownerReferences:\n  - {apiVersion: v1, kind: Pod, name: %s, uid: %s}\n' "$pod" "$uid"
    printf 'spec:\n  logs:\n'
    for c in "${containers[@]}"; do
      printf '  - containers: [%s]\n    logsFile: %s\n    previousLogsFile: %s\n    follow: true\n' \
        "$c" "$dir/$c.log" "$dir/$c.previous.log"
    done
  } | "$KUBECTL" apply -f - >/dev/null || { echo "podlogs: could not apply Logs for $ns/$pod" >&2; return 0; }
  for c in "${containers[@]}"; do
    [[ -e "$dir/$c.previous.log" ]] || printf '%s stdout F testbed: previous instance of %s\n' "$(now)" "$c" >"$dir/$c.previous.log"
    [[ -e "$dir/$c.log" ]] || {
      printf '%s stdout F testbed: container %s of pod %s/%s started\n' "$(now)" "$c" "$ns" "$pod"
      printf '%s stderr F testbed: a line on stderr\n' "$(now)"
      printf '%s stdout F testbed: append CRI lines to %s to stream more\n' "$(now)" "$dir/$c.log"
    } >"$dir/$c.log"
  done
  echo "$uid" >"$dir/.uid"
}

# kubectl's watch ends when the apiserver closes it (after 30 to 60 minutes): start it again.
watcher=""
trap '[[ -z "$watcher" ]] || kill "$watcher" 2>/dev/null; exit 0' TERM INT
# go-template, not jsonpath: kubectl's jsonpath fails on a range over a missing field
# (pods without initContainers).
template='{{.metadata.namespace}} {{.metadata.name}} {{.metadata.uid}} {{range .spec.initContainers}}{{.name}},{{end}}{{range .spec.containers}}{{.name}},{{end}}{{"\n"}}'
while :; do
  exec 3< <("$KUBECTL" get pods --all-namespaces --watch -o "go-template=$template")
  watcher=$!
  while read -r ns pod uid containers <&3; do
    if [[ -n "$uid" ]]; then setup "$ns" "$pod" "$uid" "$containers"; fi
  done
  exec 3<&-
  sleep 1
done
