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
