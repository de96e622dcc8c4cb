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

const imageOn = (name, nodeName) => pods(name).find((pod) => pod.spec.nodeName === nodeName)?.spec.containers[0].image;
const zoneA = ["kwok-edge-2", "kwok-worker-1"];
const consoleRecords = (name) =>
  Object.keys(daemonset(name).metadata.annotations ?? {}).filter((key) => key.startsWith("daemonset-console.io/"));

/** Edits the image tag 1.0 to 2.0 in edit YAML and applies it as a canary on zone-a. */
async function applyCanaryOnZoneA(page, name) {
  await page.goto(`/projects/${project}/daemonsets/${name}`);
  await page.getByRole("button", { name: "Edit YAML" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit YAML" });
  await expect(dialog.locator(".monaco-editor .view-lines")).toContainText("registry.local/agent:1.0");
  // The last such line: kubectl apply's annotation, above, holds the image too.
  await dialog.locator(".yaml-editor-frame .view-line", { hasText: "image: registry.local/agent:1.0" }).last().click();
  await page.keyboard.press("End");
  await page.keyboard.press("Backspace");
  await page.keyboard.press("Backspace");
  await page.keyboard.press("Backspace");
  await page.keyboard.type("2.0");
  await dialog.getByRole("button", { name: "Review changes" }).click();
  await expect(dialog.locator(".check-passed")).toBeVisible();
  await dialog.getByRole("checkbox", { name: "Roll out to some nodes first (canary)" }).check();
  await expect(dialog.locator("select[name=canary-label]")).toHaveValue("topology.kubernetes.io/zone");
  await dialog.locator("select[name=canary-value]").selectOption("zone-a");
  await expect(dialog.locator(".canary-choice .affected-nodes")).toHaveText(/kwok-edge-2\s*kwok-worker-1/);
  await dialog.getByRole("button", { name: "Apply to the canary nodes" }).click();
  await expect(dialog).toHaveCount(0);
}

test("a canary on one zone updates only that zone's nodes, a second user sees it, and continue finishes the rest", async ({ page, browser }) => {
  await create("canary");
  const strategyBefore = daemonset("canary").spec.updateStrategy;
  await applyCanaryOnZoneA(page, "canary");
  const annotations = daemonset("canary").metadata.annotations;
  expect(daemonset("canary").spec.updateStrategy).toEqual({ type: "OnDelete" });
  expect(JSON.parse(annotations["daemonset-console.io/canary"])).toMatchObject({
    by: "admin", label: "topology.kubernetes.io/zone", value: "zone-a", atATime: 1, fromRevision: 1, phase: "canary",
  });
  expect(JSON.parse(annotations["daemonset-console.io/paused"]).strategy).toEqual(strategyBefore);

  // The page updates the canary nodes; the other zone keeps the old image.
  const panel = page.locator(".canary-panel");
  await expect(panel).toContainText("2 of 2 canary nodes on the current revision, 2 available", { timeout: 30_000 });
  for (const name of zoneA) expect(imageOn("canary", name)).toBe("registry.local/agent:2.0");
  expect(imageOn("canary", "kwok-worker-3")).toBe("registry.local/agent:1.0");
  await page.getByRole("tab", { name: "Nodes", exact: true }).click();
  await expect(node(page, "kwok-worker-3")).toContainText("#1 old");

  // Another user's browser sees the plan and continues it.
  const other = await browser.newContext();
  const second = await other.newPage();
  await signIn(second, "admin", `/projects/${project}/daemonsets/canary`);
  const seen = second.locator(".canary-panel");
  await expect(seen).toContainText("Canary on topology.kubernetes.io/zone=zone-a");
  await expect(seen).toContainText("Started by admin");
  await expect(seen).toContainText("2 of 2 canary nodes");
  await seen.getByRole("button", { name: "Continue to the remaining nodes" }).click();
  const confirm = second.getByRole("dialog");
  await expect(confirm.locator(".affected-nodes")).toHaveText("kwok-worker-3");
  await confirm.getByRole("button", { name: "Continue to the remaining nodes" }).click();
  await expect(confirm).toHaveCount(0);
  await other.close();

  expect(daemonset("canary").spec.updateStrategy).toEqual(strategyBefore);
  expect(consoleRecords("canary")).toEqual([]);
  await settled("canary");
  expect(imageOn("canary", "kwok-worker-3")).toBe("registry.local/agent:2.0");
  await expect(page.locator(".canary-panel")).toHaveCount(0);
});

test("rolling a canary back restores the previous template on the canary nodes, and finishing restores the strategy", async ({ page }) => {
  await create("canary-back");
  const before = daemonset("canary-back");
  await applyCanaryOnZoneA(page, "canary-back");
  const panel = page.locator(".canary-panel");
  await expect(panel).toContainText("2 of 2 canary nodes on the current revision, 2 available", { timeout: 30_000 });
  const untouched = pods("canary-back").find((pod) => pod.spec.nodeName === "kwok-worker-3").metadata.uid;

  await panel.getByRole("button", { name: "Roll back the canary" }).click();
  const confirm = page.getByRole("dialog");
  await expect(confirm).toContainText("The template of #1 is restored");
  await expect(confirm.locator(".affected-nodes")).toHaveText(/kwok-edge-2\s*kwok-worker-1/);
  await confirm.getByRole("button", { name: "Roll back the canary" }).click();
  await expect(confirm).toHaveCount(0);
  await expect(panel).toContainText("Rolling back the canary on topology.kubernetes.io/zone=zone-a");
  await expect(panel).toContainText("2 of 2 canary nodes on the current revision, 2 available", { timeout: 30_000 });
  for (const name of zoneA) expect(imageOn("canary-back", name)).toBe("registry.local/agent:1.0");
  expect(pods("canary-back").find((pod) => pod.spec.nodeName === "kwok-worker-3").metadata.uid).toBe(untouched);

  await panel.getByRole("button", { name: "Finish the roll back" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Finish the roll back" }).click();
  await expect(page.locator(".canary-panel")).toHaveCount(0);
  const after = daemonset("canary-back");
  expect(after.spec.updateStrategy).toEqual(before.spec.updateStrategy);
  expect(after.spec.template).toEqual(before.spec.template);
  expect(consoleRecords("canary-back")).toEqual([]);
  await settled("canary-back");
});
