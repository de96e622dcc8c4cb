// The testbed from the browser tests' side: its credentials and a kubectl that uses them.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** Variables written by end2end/testbed/up.sh (KUBECTL, KUBECONFIG, tokens, log dirs). */
export function testbedEnv() {
  const path = process.env.CONSOLE_TESTBED_ENV ?? "/tmp/daemonset-console-testbed/env";
  const vars = {};
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const match = line.match(/^(?:export\s+)?([A-Z_]+)=(.*)$/);
    if (match) vars[match[1]] = match[2].replace(/^["']|["']$/g, "");
  }
  return vars;
}

/** Runs the testbed's kubectl as the admin; `input` is piped to stdin (for `apply -f -`). */
export function kubectl(args, input) {
  const env = testbedEnv();
  return execFileSync(env.KUBECTL, args, {
    input,
    encoding: "utf8",
    env: { ...process.env, KUBECONFIG: env.KUBECONFIG },
  });
}

/** A project name no other run uses. */
export function uniqueProject(prefix) {
  return `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e4)}`;
}

/** Creates a project and waits for its default ServiceAccount, which pods need. */
export function createProject(name) {
  kubectl(["create", "namespace", name]);
  for (let i = 0; i < 100; i++) {
    try {
      kubectl(["-n", name, "get", "serviceaccount", "default", "-o", "name"]);
      return;
    } catch {
      execFileSync("sleep", ["0.1"]);
    }
  }
  throw new Error(`project ${name} got no default ServiceAccount`);
}

export function deleteProject(name) {
  kubectl(["delete", "namespace", name, "--wait=false", "--ignore-not-found"]);
}

/** Passwords of the console accounts test.sh and demo.sh create (admin, alice). */
export function consoleAccounts() {
  const path = `${testbedEnv().TESTBED_DIR}/console.env`;
  const vars = Object.fromEntries(
    readFileSync(path, "utf8").trim().split("\n").map((line) => line.split("=", 2)),
  );
  return { admin: vars.CONSOLE_ADMIN_PASSWORD, alice: vars.CONSOLE_ALICE_PASSWORD };
}

/** Signs `page` in with a console account through the sign-in form and waits for the list. */
export async function signIn(page, username, next = "/daemonsets") {
  await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(consoleAccounts()[username]);
  await page.locator('button[type="submit"]').click();
  await page.locator(".user-menu .user", { hasText: username }).waitFor();
}

/**
 * A node agent's DaemonSet in `project`, running on the ssd nodes: one container, and what a
 * test needs on top (`annotations`, `image`, `container`: extra container lines, indented).
 */
export function agentManifest(project, name, { annotations = "{}", image = "registry.local/agent:1.0", container = "" } = {}) {
  return `
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ${name}
  namespace: ${project}
  annotations: ${annotations}
spec:
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      nodeSelector: { disktype: ssd }
      containers:
        - name: agent
          image: ${image}
${container}`;
}
