"""Prints COUNT DaemonSets in NAMESPACE (default `bench`) as YAML for `kubectl apply -f -`: one
in fifty runs on every untainted node, the others select a disk no node has."""
import sys

count = int(sys.argv[1])
namespace = sys.argv[2] if len(sys.argv) > 2 else "bench"
for i in range(count):
    selector = "{}" if i % 50 == 0 else "{disktype: nvme-%d}" % (i % 7)
    print(f"""---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent-{i:05d}
  namespace: {namespace}
  labels: {{tier: t{i % 10}}}
spec:
  selector: {{matchLabels: {{app: agent-{i:05d}}}}}
  template:
    metadata: {{labels: {{app: agent-{i:05d}}}}}
    spec:
      nodeSelector: {selector}
      containers: [{{name: agent, image: "registry.local/agent:{i % 13}.0"}}]""")
