// Usage from the testbed's real metrics-server (aggregated API, scraping kwok's emulated
// /metrics/resource). seed.sh gives logrotate 6Mi everywhere but 30Mi of its 32Mi limit on
// kwok-worker-2, and 7m of its 5m CPU request on kwok-worker-3. alice reads it as herself.
import { expect, test } from "@playwright/test";
import { kubectl, signIn } from "./testbed.mjs";

const top = (name = "logrotate") =>
  kubectl(["top", "pod", "-n", "logging", "-l", `app.kubernetes.io/name=${name}`, "--no-headers"])
    .trim()
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .map(([pod, cpu, memory]) => ({ pod, cpu, memory }));
const nodeOf = (pod) => kubectl(["-n", "logging", "get", "pod", pod, "-o", "jsonpath={.spec.nodeName}"]);
const row = (page, text) => page.locator("tr.row", { hasText: text });

/** Waits until metrics-server has measured every running pod of `name` (two scrapes after a start). */
async function measured(name = "logrotate", pods = 3) {
  await expect.poll(() => { try { return top(name).length; } catch { return 0; } }, { timeout: 60_000 }).toBe(pods);
}

test.beforeEach(async ({ page }) => {
  await measured();
  await signIn(page, "alice", "/projects/logging/daemonsets");
});

test("each pod's usage equals kubectl top, and the pod near its memory limit is marked on exactly its node", async ({ page }) => {
  await page.goto("/projects/logging/daemonsets/logrotate?tab=usage");
  await expect(page.locator("tr.row")).toHaveCount(3);
  await expect(page.locator("tr.row .usage-amount").first()).toBeVisible();
  for (const { pod, cpu, memory } of top()) {
    const shown = row(page, pod);
    const [cpuCell, memoryCell] = [shown.locator("td").nth(2), shown.locator("td").nth(3)];
    await expect(memoryCell.locator(".usage-amount")).toHaveText(memory);
    // CPU is a rate between two scrapes: the page and kubectl may each have read either one.
    const seen = await cpuCell.locator(".usage-amount").innerText();
    const after = top().find((sample) => sample.pod === pod).cpu;
    expect([cpu, after]).toContain(seen);
    await expect(memoryCell).toContainText(/request 8Mi · limit 32Mi \(\d+ %\)/);
  }
  const near = row(page, "kwok-worker-2");
  await expect(near).toContainText("Near its memory limit");
  await expect(near.locator(".usage-amount").nth(1)).toHaveText("30Mi");
  await expect(near).toContainText("limit 32Mi (93 %)");
  await expect(page.locator("tr.row", { hasText: "Near its memory limit" })).toHaveCount(1);
  await expect(row(page, "kwok-worker-3")).toContainText("More CPU than requested");
  await expect(page.locator("tr.row", { hasText: "More CPU than requested" })).toHaveCount(1);
  // alice may not read the nodes' metrics: said once, the rest still shown.
  await expect(page.getByText("Node totals are not shown: you may not read nodes' metrics.")).toBeVisible();
  // The page keeps the samples it saw: a second one draws a line.
  await expect(near.locator(".sparkline").nth(1)).toHaveAttribute("aria-label", /Last minutes: 30Mi, 30Mi/, { timeout: 45_000 });
  await page.screenshot({ path: test.info().outputPath("usage-tab.png"), fullPage: true });
});

test("the list shows every agent's usage, its pod and container pages their own, in both languages", async ({ page }) => {
  const samples = top();
  const memory = samples.reduce((sum, { memory }) => sum + Number.parseInt(memory, 10), 0);
  const list = row(page, "logrotate");
  await expect(list.locator(".usage-summary")).toContainText(`${memory}Mi`);
  await expect(list.locator(".usage-peak")).toContainText("highest pod");
  await expect(list.locator(".usage-peak")).toContainText("30Mi");
  // fluent-bit uses 96Mi on kwok-worker-1, 58Mi elsewhere; its one stuck pod (Pending, never
  // measured) lands on a node the DaemonSet controller picks, so the highest is kubectl's.
  await measured("fluent-bit", 4);
  const fluentBit = top("fluent-bit").map(({ memory }) => Number.parseInt(memory, 10));
  await expect(row(page, "fluent-bit").locator(".usage-peak")).toContainText(`${Math.max(...fluentBit)}Mi`);

  const near = samples.find(({ pod }) => nodeOf(pod) === "kwok-worker-2").pod;
  await page.goto(`/projects/logging/pods/${near}`);
  const usage = page.locator(".usage-table");
  await expect(usage.locator("tr.row")).toHaveCount(1);
  await expect(usage).toContainText("30Mi");
  await expect(usage).toContainText("Near its memory limit");
  await page.goto(`/projects/logging/pods/${near}/containers/logrotate`);
  await expect(page.locator(".usage-table tr.row")).toContainText("limit 32Mi (93 %)");

  await page.evaluate(() => localStorage.setItem("console.lang", "zh-CN"));
  await page.reload();
  await expect(page.locator(".usage-table")).toContainText("接近内存限制");
  await expect(page.locator(".usage-table")).toContainText("限制 32Mi (93 %)");
  await page.evaluate(() => localStorage.setItem("console.lang", "en"));
});

test("without metrics-server's APIService the list says so once and everything else works", async ({ page }) => {
  const saved = JSON.parse(kubectl(["get", "apiservice", "v1beta1.metrics.k8s.io", "-o", "json"]));
  kubectl(["delete", "apiservice", "v1beta1.metrics.k8s.io"]);
  try {
    await page.goto("/projects/logging/daemonsets");
    const notice = page.locator(".usage-notice");
    await expect(notice).toHaveText("Usage is not shown: this cluster has no metrics-server (the metrics.k8s.io API is not served).", { timeout: 30_000 });
    await expect(notice).toHaveCount(1);
    await expect(page.locator(".error-panel")).toHaveCount(0);
    await expect(row(page, "logrotate").locator(".usage-summary")).toHaveCount(0);
    await expect(row(page, "fluent-bit")).toContainText("fluent/fluent-bit");
    await page.goto("/projects/logging/daemonsets/logrotate?tab=usage");
    await expect(page.locator(".usage-notice")).toHaveText(/this cluster has no metrics-server/);
    await expect(page.locator(".error-panel")).toHaveCount(0);
    await expect(page.locator("tr.row")).toHaveCount(3);
    await page.getByRole("tab", { name: "Pods" }).click();
    await expect(page.locator("tr.row")).toHaveCount(3);
  } finally {
    const { metadata, spec } = saved;
    kubectl(["apply", "-f", "-"], JSON.stringify({ apiVersion: saved.apiVersion, kind: saved.kind, metadata: { name: metadata.name, labels: metadata.labels }, spec }));
    await expect.poll(() => kubectl(["get", "apiservice", "v1beta1.metrics.k8s.io", "-o", "jsonpath={.status.conditions[0].status}"]), { timeout: 60_000 }).toBe("True");
  }
});
