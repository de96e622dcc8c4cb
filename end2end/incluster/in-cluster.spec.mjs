// The console as a platform team runs it: installed by its Helm chart, two replicas on two real
// kubelet nodes, reached through kubectl port-forward, opening a shell in and following the log
// of a real container, and upgraded by Helm while a user works. run.sh installs it first.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { kubectl, signIn, testbedEnv } from "../tests/testbed.mjs";
import { FrontDoor, portForward, readyPods } from "./frontdoor.mjs";

const namespace = process.env.INCLUSTER_NAMESPACE;
const selector = process.env.INCLUSTER_SELECTOR;
const agents = process.env.INCLUSTER_AGENT_PROJECT;
const agent = "real-agent";
test.describe.configure({ mode: "serial" });

/** The agent's pods (real busybox containers on the real nodes), sorted by node. */
function agentPods() {
  const out = kubectl(["-n", agents, "get", "pods", "-l", `app=${agent}`, "-o",
    "jsonpath={range .items[*]}{.metadata.name} {.spec.nodeName}{\"\\n\"}{end}"]);
  return out.trim().split("\n").map((line) => line.split(" ")).map(([name, node]) => ({ name, node }))
    .sort((a, b) => a.node.localeCompare(b.node));
}

/** A page in a fresh browser context whose relative URLs go to `baseURL`. */
async function pageAt(browser, baseURL) {
  const context = await browser.newContext({ baseURL });
  return context.newPage();
}

/** Runs `use(page)` with the admin signed in through a front door to every Ready replica. */
async function throughFrontDoor(browser, use) {
  const door = new FrontDoor(namespace, selector);
  try {
    const page = await pageAt(browser, await door.open());
    await signIn(page, "admin");
    await use(page);
  } finally {
    door.close();
  }
}

async function openTerminal(page, pod) {
  await page.goto(`/projects/${agents}/pods/${pod}/containers/agent`);
  await page.getByRole("button", { name: "Open a terminal" }).click();
  await expect(page.locator(".terminal-status")).toContainText("Connected");
  await page.locator(".terminal-host").click();
  return page.locator(".terminal-host .xterm-rows");
}

test("the two replicas run on two real nodes", () => {
  const out = kubectl(["-n", namespace, "get", "pods", "-l", selector, "-o",
    "jsonpath={range .items[*]}{.spec.nodeName}{\"\\n\"}{end}"]);
  const nodes = out.trim().split("\n");
  expect(nodes).toHaveLength(2);
  expect(new Set(nodes).size).toBe(2);
  for (const node of nodes) expect(node).toMatch(/^real-\d$/);
  expect(readyPods(namespace, selector)).toHaveLength(2);
});

test("signed in on one replica, the user keeps working on the other", async ({ browser }) => {
  const [one, two] = readyPods(namespace, selector);
  const first = await portForward(namespace, one);
  const second = await portForward(namespace, two);
  try {
    const page = await pageAt(browser, `http://127.0.0.1:${first.port}`);
    await signIn(page, "admin");
    // Cookies belong to the host, not the port: the same browser, now talking to replica two.
    await page.goto(`http://127.0.0.1:${second.port}/projects/${agents}/daemonsets/${agent}?tab=pods`);
    await expect(page.locator(".user-menu .user")).toContainText("admin");
    for (const pod of agentPods()) await expect(page.locator("tr.row", { hasText: pod.name })).toContainText("Running");
  } finally {
    first.child.kill();
    second.child.kill();
  }
});

test("a terminal opens in the real container: its node's host name and the pod's user", async ({ browser }) => {
  await throughFrontDoor(browser, async (page) => {
    const [pod] = agentPods();
    const screen = await openTerminal(page, pod.name);
    await page.keyboard.type("uname -sn; id\n");
    // The real container: on the host network of its node (named like the node), as the user
    // the pod asked for; kwok's exec would run a shell on this machine as root.
    await expect(screen).toContainText(`Linux ${pod.node}`);
    await expect(screen).toContainText("uid=1234 gid=1234");
  });
});

test("the container's real log is followed as it writes", async ({ browser }) => {
  await throughFrontDoor(browser, async (page) => {
    const [pod] = agentPods();
    await page.goto(`/projects/${agents}/pods/${pod.name}/containers/agent`);
    await expect(page.locator(".log-status")).toContainText("Streaming");
    const lastTick = async () => Math.max(0, ...(await page.locator(".log-line").allInnerTexts())
      .map((line) => Number(line.match(/tick (\d+)/)?.[1] ?? 0)));
    const first = await lastTick();
    // The agent writes a line a second: newer ticks arrive without reloading.
    await expect.poll(lastTick, { timeout: 15_000 }).toBeGreaterThan(first + 2);
  });
});

test("a Helm upgrade keeps the user signed in, and an open terminal is told and reconnects", async ({ browser }) => {
  const env = testbedEnv();
  await throughFrontDoor(browser, async (page) => {
    const [pod] = agentPods();
    const screen = await openTerminal(page, pod.name);
    await page.keyboard.type("echo before-upgrade\n");
    await expect(screen).toContainText("before-upgrade");

    const before = readyPods(namespace, selector);
    const upgrade = promisify(execFile)(process.env.HELM, ["upgrade", "console", process.env.CHART,
      "-n", namespace, "--reuse-values", "--set", `image.tag=${process.env.INCLUSTER_UPGRADE_TAG}`,
      "--wait", "--timeout", "3m"], { env: { ...process.env, KUBECONFIG: env.KUBECONFIG } });
    // Every replica is replaced, so the one holding the terminal goes too, and says so.
    await expect(page.locator(".terminal-status")).toContainText("the console is restarting", { timeout: 120_000 });
    await upgrade;
    // Helm's --wait settles for maxUnavailable's worth of replicas; the rollout's end is all of them.
    kubectl(["-n", namespace, "rollout", "status", `deployment/${process.env.INCLUSTER_DEPLOYMENT}`, "--timeout=120s"]);
    await expect.poll(() => readyPods(namespace, selector).filter((name) => !before.includes(name)).length, { timeout: 60_000 }).toBe(2);
    // Every pod runs the new image once the old ones, still terminating a moment, are gone.
    const images = () => kubectl(["-n", namespace, "get", "pods", "-l", selector, "-o", "jsonpath={.items[*].spec.containers[0].image}"]);
    await expect.poll(() => images().split(" ").every((image) => image.endsWith(`:${process.env.INCLUSTER_UPGRADE_TAG}`)), { timeout: 60_000 }).toBe(true);

    // The log below the terminal dropped too and offers its own reconnect: this is the terminal's.
    await page.locator(".terminal-status").getByRole("button", { name: "Reconnect" }).click();
    await expect(page.locator(".terminal-status")).toContainText("Connected");
    await page.locator(".terminal-host").click();
    await page.keyboard.type("echo after-upgrade\n");
    await expect(screen).toContainText("after-upgrade");
    // The session was sealed with the key the chart keeps across upgrades: no new sign-in.
    await page.reload();
    await expect(page.locator(".user-menu .user")).toContainText("admin");
    await expect(page).not.toHaveURL(/sign-in/);
  });
});
