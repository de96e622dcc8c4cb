// Log viewer under load: appends LINES lines (default 1,000,000) to a pod's log file while the
// container page follows it in Chromium, then reports how fast the page kept up, how many lines
// it holds (its ring buffer keeps the newest 50,000), and the browser's memory. Run through
// log-throughput.sh, which starts a console on the running testbed.
import { appendFileSync } from "node:fs";
import { testbedEnv } from "../tests/testbed.mjs";
import { signedInPage } from "./browser.mjs";

const base = process.env.CONSOLE_URL;
const total = Number(process.env.LINES ?? 1_000_000);
const [namespace, pod, container] = [process.env.NAMESPACE ?? "logging", process.env.POD, process.env.CONTAINER ?? "logrotate"];
const env = testbedEnv();
const file = `${env.KWOK_LOG_DIR}/${namespace}/${pod}/${container}.log`;

const { browser, page } = await signedInPage(base);
await page.goto(`${base}/projects/${namespace}/pods/${pod}/containers/${container}`);
await page.locator(".log-status", { hasText: "Streaming" }).waitFor();

// Append in batches of 10,000 lines, as fast as the disk takes them.
const run = Date.now();
const start = performance.now();
const batch = 10_000;
for (let written = 0; written < total; written += batch) {
  let chunk = "";
  const stamp = new Date().toISOString().replace("Z", "000000Z");
  for (let i = written; i < Math.min(total, written + batch); i++) {
    chunk += `${stamp} stdout F bench-${run} line ${i} level=info component=agent message="a typical log line of moderate length"\n`;
  }
  appendFileSync(file, chunk);
}
const written = performance.now() - start;
const last = `bench-${run} line ${total - 1} `;
await page.locator(".log-line", { hasText: last }).waitFor({ timeout: 600_000 });
const caughtUp = performance.now() - start;
const status = await page.locator(".log-status").innerText();

const cdp = await page.context().newCDPSession(page);
await cdp.send("HeapProfiler.collectGarbage");
await cdp.send("Performance.enable");
const metrics = Object.fromEntries((await cdp.send("Performance.getMetrics")).metrics.map((m) => [m.name, m.value]));
const wasmBytes = await page.evaluate(() => globalThis.__consoleWasmMemory?.buffer.byteLength ?? null);
const rendered = await page.locator(".log-line").count();
await browser.close();

const mb = (bytes) => (bytes / 1024 / 1024).toFixed(0);
console.log(`appended ${total} lines in ${(written / 1000).toFixed(1)} s; the page showed the last one after ${(caughtUp / 1000).toFixed(1)} s`);
console.log(`sustained: ${Math.round(total / (caughtUp / 1000))} lines/s kept up with; page status: ${status.replace(/\s+/g, " ")}`);
console.log(`lines in the page's DOM: ${rendered}; JS heap used ${mb(metrics.JSHeapUsedSize)} MB; wasm memory ${wasmBytes === null ? "n/a" : mb(wasmBytes) + " MB"}`);
