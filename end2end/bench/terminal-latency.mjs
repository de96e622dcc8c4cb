// Keystroke-to-echo latency: the console's terminal WebSocket versus `kubectl exec -it`, on the
// same pod of a running testbed and console. Sends single keystrokes to an interactive `cat`
// (which echoes through the TTY) and times each echo. Run through terminal-latency.sh.
import { spawn } from "node:child_process";
import { consoleAccounts, testbedEnv } from "../tests/testbed.mjs";

const base = process.env.CONSOLE_URL;
const samples = Number(process.env.SAMPLES ?? 200);
const env = testbedEnv();
const [namespace, pod, container] = [process.env.NAMESPACE ?? "logging", process.env.POD, process.env.CONTAINER ?? "logrotate"];

const quantiles = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `median ${at(0.5).toFixed(2)} ms, p95 ${at(0.95).toFixed(2)} ms, max ${sorted[sorted.length - 1].toFixed(2)} ms`;
};

// Times `samples` keystrokes: `send(char)` writes one, `output` collects what comes back.
async function measure(send, output) {
  const latencies = [];
  for (let i = 0; i < samples; i++) {
    const char = String.fromCharCode(97 + (i % 26));
    const seen = output.text.length;
    const start = performance.now();
    send(char);
    while (!output.text.slice(seen).includes(char)) await new Promise((r) => setImmediate(r));
    latencies.push(performance.now() - start);
  }
  return latencies;
}

async function viaConsole() {
  const signIn = await fetch(`${base}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base },
    body: JSON.stringify({ kind: "account", username: "admin", password: consoleAccounts().admin }),
  });
  const cookie = signIn.headers.get("set-cookie").split(";")[0];
  const { csrfToken } = await signIn.json();
  const url = `${base.replace("http", "ws")}/api/terminal/namespaces/${namespace}/pods/${pod}?container=${container}&shell=sh&csrf=${encodeURIComponent(csrfToken)}`;
  const socket = new WebSocket(url, { headers: { cookie, origin: base } });
  socket.binaryType = "arraybuffer";
  const output = { text: "" };
  socket.onmessage = (event) => {
    if (typeof event.data !== "string") output.text += new TextDecoder().decode(event.data);
  };
  await new Promise((resolve, reject) => { socket.onopen = resolve; socket.onerror = reject; });
  const send = (text) => socket.send(new TextEncoder().encode(text));
  send("cat\r");
  await new Promise((r) => setTimeout(r, 500));
  const latencies = await measure(send, output);
  send("\x03exit\r");
  socket.close();
  return latencies;
}

async function viaKubectl() {
  // `script` gives kubectl a terminal, so it runs with -t as a person's would.
  const child = spawn("script", ["-qfc", `${env.KUBECTL} -n ${namespace} exec -it ${pod} -c ${container} -- sh`, "/dev/null"], {
    env: { ...process.env, KUBECONFIG: env.KUBECONFIG },
  });
  const output = { text: "" };
  child.stdout.on("data", (data) => { output.text += data.toString(); });
  await new Promise((r) => setTimeout(r, 1500));
  const send = (text) => child.stdin.write(text);
  send("cat\r");
  await new Promise((r) => setTimeout(r, 500));
  const latencies = await measure(send, output);
  send("\x03exit\r");
  child.kill();
  return latencies;
}

const consoleLatency = await viaConsole();
const kubectlLatency = await viaKubectl();
console.log(`keystroke to echo, ${samples} keystrokes on ${namespace}/${pod}:`);
console.log(`  console (browser WebSocket → console → apiserver → kwok): ${quantiles(consoleLatency)}`);
console.log(`  kubectl exec -it (→ apiserver → kwok):                  ${quantiles(kubectlLatency)}`);
