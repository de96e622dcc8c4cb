// Measures what a first visit to the list transfers, app and API apart, and what opening the
// wizard and a terminal add. Run through page-bytes.sh, which sets everything up.
import { signedInPage } from "./browser.mjs";

const base = process.env.CONSOLE_URL;
const counts = process.env.BENCH_COUNTS.split(" ").map(Number);
const kib = (bytes) => (bytes / 1024).toFixed(0);

/** Bytes received (as sent: compressed) per kind since the last `take()`, from CDP. */
async function meter(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  const urls = new Map();
  let bytes = { app: 0, api: 0 };
  cdp.on("Network.requestWillBeSent", ({ requestId, request }) => urls.set(requestId, request.url));
  cdp.on("Network.dataReceived", ({ requestId, encodedDataLength }) => {
    const path = new URL(urls.get(requestId) ?? base).pathname;
    bytes[path.startsWith("/api/") ? "api" : "app"] += encodedDataLength;
  });
  return () => {
    const taken = bytes;
    bytes = { app: 0, api: 0 };
    return taken;
  };
}

const rows = [];
for (const count of counts) {
  const { browser, page } = await signedInPage(base);
  const take = await meter(page);
  const project = `bytes-${count}`;
  await page.goto("about:blank");
  take();
  const start = Date.now();
  await page.goto(`${base}/projects/${project}/daemonsets`);
  await page.locator("tr.row").first().waitFor({ timeout: 120_000 });
  const firstRow = Date.now() - start;
  await page.locator(".live-on", { hasText: String(count) }).waitFor({ timeout: 300_000 });
  const allRows = Date.now() - start;
  await page.waitForLoadState("networkidle").catch(() => {});
  const list = take();

  await page.locator(`a[href="/daemonsets/new?project=${project}"]`).click();
  await page.locator('[data-path="metadata.name"]').waitFor();
  await page.waitForTimeout(500);
  const wizard = take();

  // A pod of the one DaemonSet in fifty that runs (agent-00000), its container and a terminal.
  await page.goto(`${base}/projects/${project}/daemonsets/agent-00000?tab=pods`);
  const pod = page.locator(".tab-panel tr.row a.name").first();
  await pod.waitFor({ timeout: 60_000 });
  await page.waitForLoadState("networkidle").catch(() => {});
  take();
  // Within the app, as a user goes: the pod, its container, the terminal.
  await pod.click();
  await page.locator("table.containers a.name", { hasText: "agent" }).click();
  await page.getByRole("button", { name: "Open a terminal" }).click();
  await page.locator(".terminal-status", { hasText: "Connected" }).waitFor({ timeout: 30_000 });
  const terminal = take();
  await browser.close();
  rows.push({ count, firstRow, allRows, list, wizard, terminal });
}

console.log("| DaemonSets | list: app KiB | list: API KiB | first row | all rows | + wizard (app, API KiB) | container page + terminal (app, API KiB) |");
console.log("| --- | --- | --- | --- | --- | --- | --- |");
for (const { count, firstRow, allRows, list, wizard, terminal } of rows) {
  console.log(`| ${count} | ${kib(list.app)} | ${kib(list.api)} | ${firstRow} ms | ${allRows} ms | ${kib(wizard.app)}, ${kib(wizard.api)} | ${kib(terminal.app)}, ${kib(terminal.api)} |`);
}
