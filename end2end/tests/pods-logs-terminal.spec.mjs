// From a DaemonSet to its pods, a container, its logs and a shell in it, in a real browser
// against the real testbed: kwok serves logs from files the test appends to, and runs exec as
// real local processes.
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { createProject, deleteProject, kubectl, signIn, testbedEnv, uniqueProject } from "./testbed.mjs";

const project = uniqueProject("e2e-pods");
const daemonset = "shipper";

test.beforeAll(async () => {
  test.setTimeout(180_000);
  createProject(project);
  kubectl(["apply", "-f", "-"], `
apiVersion: apps/v1
kind: DaemonSet
metadata: { name: ${daemonset}, namespace: ${project} }
spec:
  selector: { matchLabels: { app: ${daemonset} } }
  template:
    metadata: { labels: { app: ${daemonset} } }
    spec:
      nodeSelector: { disktype: ssd }
      containers:
        - name: shipper
          image: registry.local/shipper:1.0
          command: [/bin/shipper]
          args: [--verbose]
          ports: [{ name: metrics, containerPort: 2020, protocol: TCP }]
`);
  kubectl(["-n", project, "rollout", "status", `daemonset/${daemonset}`, "--timeout=60s"]);
  // kwok serves a pod's log once the testbed has made its file; wait for every pod's (the
  // watcher may still be working through pods an earlier spec created by the dozen).
  for (const pod of pods()) {
    for (let i = 0; i < 1200 && !existsSync(logFile(pod.name)); i++) await new Promise((r) => setTimeout(r, 100));
    if (!existsSync(logFile(pod.name))) throw new Error(`the testbed made no log file for ${pod.name}`);
  }
  await new Promise((r) => setTimeout(r, 1000));
});
test.afterAll(() => deleteProject(project));
test.beforeEach(async ({ page }) => signIn(page, "admin"));

/** The DaemonSet's pods with their nodes, sorted by node. */
function pods() {
  const out = kubectl(["-n", project, "get", "pods", "-l", `app=${daemonset}`, "-o", "jsonpath={range .items[*]}{.metadata.name} {.spec.nodeName}{\"\\n\"}{end}"]);
  return out.trim().split("\n").map((line) => {
    const [name, node] = line.split(" ");
    return { name, node };
  }).sort((a, b) => a.node.localeCompare(b.node));
}

function logFile(pod) {
  return `${testbedEnv().KWOK_LOG_DIR}/${project}/${pod}/shipper.log`;
}

/** Appends a line in the CRI format kwok serves, stamped `time` (now by default). */
function appendLog(pod, text, time = new Date()) {
  const stamp = time.toISOString().replace("Z", "000000Z");
  appendFileSync(logFile(pod), `${stamp} stdout F ${text}\n`);
}

test("the pods tab leads to a pod page that shows its node and containers and links back", async ({ page }) => {
  const [first] = pods();
  await page.goto(`/projects/${project}/daemonsets/${daemonset}`);
  await page.locator("tr.row a", { hasText: first.name }).click();
  await expect(page).toHaveURL(new RegExp(`/projects/${project}/pods/${first.name}$`));
  await expect(page.locator(".overview")).toContainText(first.node);
  await expect(page.locator(".overview")).toContainText("Running");
  await expect(page.locator("table.containers tr.row", { hasText: "shipper" })).toContainText("registry.local/shipper:1.0");
  await page.getByRole("link", { name: `DaemonSet ${daemonset}` }).click();
  await expect(page).toHaveURL(new RegExp(`/daemonsets/${daemonset}$`));
});

test("the container page shows what runs and follows its log as lines are appended", async ({ page }) => {
  const [first] = pods();
  await page.goto(`/projects/${project}/pods/${first.name}/containers/shipper`);
  await expect(page.locator(".overview")).toContainText("/bin/shipper");
  await expect(page.locator(".overview")).toContainText("metrics 2020/TCP");
  await expect(page.locator(".log-status")).toContainText("Streaming");
  const marker = `appended-${Date.now()}`;
  appendLog(first.name, `${marker} 你好 UTF-8 ✓`);
  await expect(page.locator(".log-line", { hasText: marker })).toContainText("你好 UTF-8 ✓");

  await page.locator(".log-search").fill(marker);
  await expect(page.locator(".log-line mark")).toHaveText(marker);
  await expect(page.locator(".log-matches")).toHaveText("1 matches");
});

test("the all-nodes log view merges every pod's lines by time, each labelled with its node", async ({ page }) => {
  const [a, b] = pods();
  await page.goto(`/projects/${project}/daemonsets/${daemonset}?tab=logs`);
  await expect(page.locator(".log-status")).toContainText("Streaming");
  const run = Date.now();
  const base = Date.now();
  // Written out of order across the two files; the view must put them in time order.
  appendLog(b.name, `merge-${run}-2`, new Date(base + 2));
  appendLog(a.name, `merge-${run}-1`, new Date(base + 1));
  appendLog(a.name, `merge-${run}-3`, new Date(base + 3));
  const lines = page.locator(".log-line", { hasText: `merge-${run}` });
  await expect(lines).toHaveCount(3);
  await expect(lines.nth(0)).toContainText(`${a.node}merge-${run}-1`);
  await expect(lines.nth(1)).toContainText(`${b.node}merge-${run}-2`);
  await expect(lines.nth(2)).toContainText(`${a.node}merge-${run}-3`);
});

test("the terminal runs commands, follows the window's size, and leaves no shell behind", async ({ page }) => {
  const [first] = pods();
  await page.setViewportSize({ width: 1300, height: 900 });
  await page.goto(`/projects/${project}/pods/${first.name}/containers/shipper`);
  await page.getByRole("button", { name: "Open a terminal" }).click();
  await expect(page.locator(".terminal-status")).toContainText("Connected");
  const screen = page.locator(".terminal-host .xterm-rows");
  const marker = `hello-${Date.now()}`;
  await page.locator(".terminal-host").click();
  await page.keyboard.type(`echo ${marker}; echo pid=$$\n`);
  await expect(screen).toContainText(`${marker}`);
  await expect(screen).toContainText(/pid=\d+/);
  const pid = (await screen.innerText()).match(/pid=(\d+)/)[1];
  expect(existsSync(`/proc/${pid}`)).toBe(true);

  // The shell's own idea of its size, as rows and columns; the last one printed counts.
  const size = async () => [...(await screen.innerText()).matchAll(/SIZE=(\d+)x(\d+)/g)].map((m) => `${m[1]}x${m[2]}`).pop();
  await page.keyboard.type("echo SIZE=$(stty size | tr ' ' x)\n");
  await expect.poll(size).toMatch(/\d+x\d+/);
  const before = await size();
  await page.setViewportSize({ width: 900, height: 600 });
  await page.waitForTimeout(300);
  await page.keyboard.type("clear; echo SIZE=$(stty size | tr ' ' x)\n");
  await expect.poll(size).toMatch(/\d+x\d+/);
  await expect.poll(size).not.toBe(before);

  await page.close();
  await expect.poll(() => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/status`, "utf8").includes("zombie"), { timeout: 15_000 }).toBe(false);
});

test("someone who may not exec gets no terminal control", async ({ page }) => {
  kubectl(["-n", project, "create", "rolebinding", "alice-view", "--clusterrole=view", "--user=alice"]);
  const [first] = pods();
  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, "alice", `/projects/${project}/pods/${first.name}/containers/shipper`);
  await expect(page.locator(".overview")).toContainText("/bin/shipper");
  await expect(page.locator(".log-status")).toContainText("Streaming");
  await expect(page.getByRole("button", { name: "Open a terminal" })).toHaveCount(0);
  kubectl(["-n", project, "delete", "rolebinding", "alice-view"]);
});

test("signing out in another tab stops this tab's terminal and its followed log", async ({ page }) => {
  const [first] = pods();
  await page.goto(`/projects/${project}/pods/${first.name}/containers/shipper`);
  await expect(page.locator(".log-status")).toContainText("Streaming");
  await page.getByRole("button", { name: "Open a terminal" }).click();
  await expect(page.locator(".terminal-status")).toContainText("Connected");
  const screen = page.locator(".terminal-host .xterm-rows");
  await page.locator(".terminal-host").click();
  await page.keyboard.type("echo pid=$$\n");
  await expect(screen).toContainText(/pid=\d+/);
  const pid = (await screen.innerText()).match(/pid=(\d+)/)[1];

  const other = await page.context().newPage();
  await other.goto(`/projects/${project}/daemonsets`);
  await other.getByRole("button", { name: "Sign out" }).click();
  await expect(other).toHaveURL(/\/sign-in/);

  await expect(page.locator(".terminal-status")).toContainText("Your session has ended", { timeout: 30_000 });
  await expect(page.locator(".log-status")).not.toContainText("Streaming", { timeout: 30_000 });
  await expect.poll(() => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/status`, "utf8").includes("zombie"), { timeout: 20_000 }).toBe(false);
});
