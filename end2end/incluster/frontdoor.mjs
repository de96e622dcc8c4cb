// What a Service does for the in-cluster tests: one local address in front of every Ready
// console pod, each reached by its own `kubectl port-forward` (a real kubelet stream, since
// nothing here routes to pod IPs). New connections go round-robin to the pods that are Ready
// now, so a user's requests land on both replicas, and an upgrade that replaces pods one by
// one leaves the address working, as a Service would.
import { spawn } from "node:child_process";
import net from "node:net";
import { kubectl, testbedEnv } from "../tests/testbed.mjs";

/** Port-forwards to one pod; resolves with the local port kubectl chose. */
export function portForward(namespace, pod) {
  const env = testbedEnv();
  const child = spawn(env.KUBECTL, ["-n", namespace, "port-forward", "--address=127.0.0.1", `pod/${pod}`, ":8080"], {
    env: { ...process.env, KUBECONFIG: env.KUBECONFIG },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let seen = "";
    child.stderr.on("data", (chunk) => { seen += chunk; });
    child.stdout.on("data", (chunk) => {
      seen += chunk;
      const match = seen.match(/Forwarding from 127\.0\.0\.1:(\d+)/);
      if (match) resolve({ pod, port: Number(match[1]), child });
    });
    child.on("exit", (code) => reject(new Error(`port-forward to ${pod} exited (${code}): ${seen}`)));
  });
}

/** Names of the console's Ready pods, by selector. */
export function readyPods(namespace, selector) {
  const out = kubectl(["-n", namespace, "get", "pods", "-l", selector, "-o",
    'jsonpath={range .items[*]}{.metadata.name} {.metadata.deletionTimestamp} {.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}']);
  return out.trim().split("\n").filter(Boolean).map((line) => line.split(" "))
    .filter(([, deleting, ready]) => !deleting && ready === "True").map(([name]) => name);
}

export class FrontDoor {
  constructor(namespace, selector) {
    this.namespace = namespace;
    this.selector = selector;
    this.backends = new Map(); // pod -> { port, child }
    this.next = 0;
  }

  async open() {
    await this.refresh();
    this.timer = setInterval(() => this.refresh().catch(() => {}), 500);
    this.server = net.createServer((socket) => this.route(socket));
    await new Promise((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${this.server.address().port}`;
  }

  async refresh() {
    const ready = new Set(readyPods(this.namespace, this.selector));
    for (const [pod, backend] of this.backends) {
      if (!ready.has(pod) || backend.child.exitCode !== null) {
        backend.child.kill();
        this.backends.delete(pod);
      }
    }
    for (const pod of ready) {
      if (!this.backends.has(pod)) {
        this.backends.set(pod, await portForward(this.namespace, pod).catch(() => ({ child: { exitCode: 1, kill() {} } })));
      }
    }
  }

  route(socket) {
    const live = [...this.backends.values()].filter((b) => b.port && b.child.exitCode === null);
    if (live.length === 0) return socket.destroy();
    const backend = live[this.next++ % live.length];
    const upstream = net.connect(backend.port, "127.0.0.1");
    socket.pipe(upstream).pipe(socket);
    socket.on("error", () => upstream.destroy());
    upstream.on("error", () => socket.destroy());
  }

  close() {
    clearInterval(this.timer);
    this.server?.close();
    for (const backend of this.backends.values()) backend.child.kill();
  }
}
