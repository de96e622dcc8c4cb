// Rollouts node by node, in a real browser against the real controllers: kwok moves pods
// through their states, and an image tag ending in "-broken" never pulls (the testbed's stage).
// Every DaemonSet here runs on the three ssd nodes the scheduler may use: kwok-worker-1 and
// kwok-edge-2 (cordoned, still runs DaemonSet pods) in zone-a, kwok-worker-3 in zone-b.
import { expect, test } from "@playwright/test";
import { agentManifest, createProject, deleteProject, kubectl, signIn, uniqueProject } from "./testbed.mjs";

const project = uniqueProject("e2e-rollout");
const ssdNodes = ["kwok-edge-2", "kwok-worker-1", "kwok-worker-3"];

const daemonset = (name) => JSON.parse(kubectl(["-n", project, "get", "daemonset", name, "-o", "json"]));
const pods = (name) =>
  JSON.parse(kubectl(["-n", project, "get", "pods", "-l", `app=${name}`, "-o", "json"])).items;

/** Waits until the controller has seen the latest spec and every desired pod is available. */
async function settled(name) {
  await expect
    .poll(() => {
      const { metadata, status } = daemonset(name);
      return (
        metadata.generation === status.observedGeneration &&
        status.desiredNumberScheduled === (status.numberAvailable ?? 0) &&
        status.desiredNumberScheduled === (status.updatedNumberScheduled ?? 0)
      );
    })
    .toBe(true);
}

/** Waits until the controller has acted on the latest spec (it writes observedGeneration last). */
async function observed(name) {
  await expect.poll(() => {
    const { metadata, status } = daemonset(name);
    return metadata.generation === status.observedGeneration;
  }).toBe(true);
}

function create(name) {
  kubectl(["apply", "-f", "-"], agentManifest(project, name));
  return settled(name);
}

const setImage = (name, image) => kubectl(["-n", project, "set", "image", `daemonset/${name}`, `agent=${image}`]);
const node = (page, name) => page.locator("tr.row", { hasText: name });

test.beforeAll(() => createProject(project));
test.afterAll(() => deleteProject(project));
test.beforeEach(async ({ page }) => signIn(page, "admin"));

test("a rollout of an image that never pulls shows which node is stuck and why, and which wait", async ({ page }) => {
  await create("stuck");
  setImage("stuck", "registry.local/agent:2.0-broken");
  await expect.poll(() => pods("stuck").filter((pod) => pod.spec.containers[0].image.endsWith("-broken")).length).toBe(1);
  const broken = pods("stuck").find((pod) => pod.spec.containers[0].image.endsWith("-broken"));
  const stuckNode = broken.spec.nodeName;
  const waiting = ssdNodes.filter((name) => name !== stuckNode);

  await page.goto(`/projects/${project}/daemonsets/stuck?tab=nodes`);
  await expect(node(page, stuckNode)).toContainText("New pod not available yet: pending, ImagePullBackOff");
  await expect(node(page, stuckNode)).toContainText("#2 current");
  for (const name of waiting) {
    await expect(node(page, name)).toContainText(`Held by maxUnavailable 1 while ${broken.metadata.name} unavailable`);
    await expect(node(page, name)).toContainText("#1 old");
  }
  await expect(node(page, "kwok-gpu-1")).toContainText("Excluded by a taint");

  const panel = page.locator(".rollout-panel");
  await expect(panel).toContainText("1 of 3 nodes on revision #2, 2 available");
  await expect(panel).toContainText("Moving from #1 to #2");
  await expect(panel.locator(".blockers")).toContainText(stuckNode);

  // Grouped by zone (the default once nodes have one), with counts; a group filters the table.
  const stuckInZoneA = ["kwok-edge-2", "kwok-worker-1"].includes(stuckNode);
  const zoneA = page.locator(".group-chip", { hasText: "zone-a" });
  const zoneB = page.locator(".group-chip", { hasText: "zone-b" });
  await expect(zoneA).toContainText(`3 nodes · ${stuckInZoneA ? 1 : 0}/2 updated · ${stuckInZoneA ? 1 : 2} available`);
  await expect(zoneB).toContainText(`3 nodes · ${stuckInZoneA ? 0 : 1}/1 updated · ${stuckInZoneA ? 1 : 0} available`);
  await zoneB.click();
  await expect(page.locator("tr.row")).toHaveCount(3);
  await expect(node(page, "kwok-worker-3")).toBeVisible();
  await expect(node(page, "kwok-worker-1")).toHaveCount(0);

  await page.getByRole("button", { name: "简体中文" }).click();
  await page.locator(".group-chip", { hasText: "全部节点" }).click();
  await expect(node(page, stuckNode)).toContainText("新容器组尚不可用");
  await expect(node(page, waiting[0])).toContainText("受 maxUnavailable 1 限制");

  // The diff is one click from the panel.
  await page.getByRole("button", { name: "English" }).click();
  await panel.getByRole("link", { name: "Compare the templates" }).click();
  await expect(page.locator(".diff-line.added")).toContainText("registry.local/agent:2.0-broken");
});

test("pause stops further replacement, a second user sees who paused it, and resume restores the strategy", async ({ page, browser }) => {
  await create("paused");
  const strategyBefore = daemonset("paused").spec.updateStrategy;
  await page.goto(`/projects/${project}/daemonsets/paused`);
  await page.getByRole("button", { name: "Pause rollout" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("The update strategy becomes OnDelete");
  await dialog.getByRole("button", { name: "Pause rollout" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.locator(".hold-banner")).toContainText("Rollout paused by admin");
  expect(daemonset("paused").spec.updateStrategy).toEqual({ type: "OnDelete" });

  // A new template while paused: the controller acts on it and replaces no pod.
  const before = pods("paused").map((pod) => pod.metadata.uid).sort();
  setImage("paused", "registry.local/agent:2.0");
  await observed("paused");
  expect(pods("paused").map((pod) => pod.metadata.uid).sort()).toEqual(before);
  expect(daemonset("paused").status.updatedNumberScheduled ?? 0).toBe(0);
  await page.getByRole("tab", { name: "Nodes", exact: true }).click();
  for (const name of ssdNodes) await expect(node(page, name)).toContainText("Paused by admin");

  // Another user in another browser sees the pause and resumes it.
  kubectl(["-n", project, "create", "rolebinding", "alice-edit", "--clusterrole=edit", "--user=alice"]);
  const other = await browser.newContext();
  const alice = await other.newPage();
  await signIn(alice, "alice", `/projects/${project}/daemonsets/paused`);
  await expect(alice.locator(".hold-banner")).toContainText("Rollout paused by admin since");
  await alice.getByRole("button", { name: "Resume rollout" }).click();
  const resume = alice.getByRole("dialog");
  for (const name of ssdNodes) await expect(resume).toContainText(name);
  await resume.getByRole("button", { name: "Resume rollout" }).click();
  await expect(resume).toHaveCount(0);
  await other.close();

  expect(daemonset("paused").spec.updateStrategy).toEqual(strategyBefore);
  expect(daemonset("paused").metadata.annotations?.["daemonset-console.io/paused"]).toBeUndefined();
  await settled("paused");
  await expect(page.locator(".hold-banner")).toHaveCount(0);
  await expect(page.locator(".rollout-panel")).toHaveCount(0);
  for (const name of ssdNodes) await expect(node(page, name)).toContainText("Up to date");
});

test("stop and start round-trip the DaemonSet exactly, and the list says who stopped it", async ({ page }) => {
  await create("stopped");
  const before = daemonset("stopped");
  await page.goto(`/projects/${project}/daemonsets/stopped`);
  await page.getByRole("button", { name: "Stop", exact: true }).click();
  const dialog = page.getByRole("dialog");
  for (const name of ssdNodes) await expect(dialog).toContainText(name);
  await dialog.getByRole("button", { name: "Stop", exact: true }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.locator(".hold-banner")).toContainText("Stopped by admin");
  await expect.poll(() => pods("stopped").length).toBe(0);

  await page.goto(`/projects/${project}/daemonsets`);
  const row = page.locator("tr.row", { has: page.getByRole("link", { name: "stopped", exact: true }) });
  await expect(row.locator(".status")).toContainText("Stopped");
  await expect(row.locator(".status-reason")).toContainText("by admin");

  await page.goto(`/projects/${project}/daemonsets/stopped`);
  await page.getByRole("button", { name: "Start", exact: true }).click();
  const start = page.getByRole("dialog");
  await expect(start).toContainText("disktype=ssd");
  for (const name of ssdNodes) await expect(start).toContainText(name);
  await start.getByRole("button", { name: "Start", exact: true }).click();
  await expect(start).toHaveCount(0);
  await settled("stopped");
  const after = daemonset("stopped");
  expect(after.spec).toEqual(before.spec);
  // The controller counts template changes in an annotation of its own; stop and start are two.
  const ours = ({ metadata }) => {
    const { "deprecated.daemonset.template.generation": _, ...rest } = metadata.annotations ?? {};
    return rest;
  };
  expect(ours(after)).toEqual(ours(before));
  expect(pods("stopped").map((pod) => pod.spec.nodeName).sort()).toEqual(ssdNodes);
});

test("updating two chosen nodes of an OnDelete DaemonSet replaces exactly those two pods, one after the other", async ({ page }) => {
  await create("chosen");
  kubectl(["-n", project, "patch", "daemonset", "chosen", "--type=merge", "-p", '{"spec":{"updateStrategy":{"type":"OnDelete","rollingUpdate":null}}}']);
  setImage("chosen", "registry.local/agent:2.0");
  await observed("chosen");
  const untouched = pods("chosen").find((pod) => pod.spec.nodeName === "kwok-edge-2").metadata.uid;

  await page.goto(`/projects/${project}/daemonsets/chosen?tab=nodes`);
  for (const name of ssdNodes) await expect(node(page, name)).toContainText("OnDelete: replaced only when its pod is deleted");
  await page.getByRole("checkbox", { name: "kwok-worker-1" }).check();
  await page.getByRole("checkbox", { name: "kwok-worker-3" }).check();
  await page.getByRole("button", { name: "Update 2 chosen nodes now" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("1 at a time");
  await expect(dialog.locator(".affected-nodes")).toHaveText(/kwok-worker-1\s*kwok-worker-3/);
  await dialog.getByRole("button", { name: "Update nodes now" }).click();
  await expect(page.locator(".update-progress")).toContainText("Chosen nodes updated: 2 of 2");

  const now = pods("chosen");
  const on = (name) => now.find((pod) => pod.spec.nodeName === name);
  expect(on("kwok-worker-1").spec.containers[0].image).toBe("registry.local/agent:2.0");
  expect(on("kwok-worker-3").spec.containers[0].image).toBe("registry.local/agent:2.0");
  expect(on("kwok-edge-2").metadata.uid).toBe(untouched);
  // One after the other: the second new pod was created once the first was ready.
  const readyAt = (pod) => Date.parse(pod.status.conditions.find((c) => c.type === "Ready").lastTransitionTime);
  const created = (pod) => Date.parse(pod.metadata.creationTimestamp);
  expect(created(on("kwok-worker-3"))).toBeGreaterThanOrEqual(readyAt(on("kwok-worker-1")));
  await expect(node(page, "kwok-worker-1")).toContainText("#2 current");
  await expect(node(page, "kwok-edge-2")).toContainText("#1 old");
});
