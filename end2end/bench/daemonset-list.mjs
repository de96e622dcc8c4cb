// Measures the DaemonSet list in Chromium against a console holding BENCH_COUNT DaemonSets.
// Run through daemonset-list.sh, which sets everything up.
import { readFileSync } from "node:fs";
import { scrollFrames, signedInPage } from "./browser.mjs";

const base = process.env.CONSOLE_URL;
const count = Number(process.env.BENCH_COUNT);

const { browser, page } = await signedInPage(base);

// A cold load of the list page: from navigation to the first row, and to every row.
await page.goto("about:blank");
const start = Date.now();
await page.goto(`${base}/projects/bench/daemonsets`);
await page.locator("tr.row").first().waitFor({ timeout: 120_000 });
const firstRows = Date.now() - start;
await page.locator(".live-on", { hasText: String(count) }).waitFor({ timeout: 300_000 });
const allRows = Date.now() - start;

// Scroll through the whole list in steps, recording the interval of every animation frame.
const frames = await scrollFrames(page, ".table-viewport");
const renderedRows = await page.locator("tr.row").count();

const cdp = await page.context().newCDPSession(page);
await cdp.send("HeapProfiler.collectGarbage");
await cdp.send("Performance.enable");
const metrics = Object.fromEntries((await cdp.send("Performance.getMetrics")).metrics.map((m) => [m.name, m.value]));
const wasmBytes = await page.evaluate(() => {
  const memory = globalThis.__consoleWasmMemory;
  return memory ? memory.buffer.byteLength : null;
});

// Resident memory of the whole browser: its own process and every child (renderer, GPU, ...).
function rssOfTree(pid) {
  let total = 0;
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  total += Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) * 1024;
  let children = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
  } catch {}
  for (const child of children) total += rssOfTree(child);
  return total;
}
// Chromium runs as this process's child; count its tree without node itself.
const own = Number(readFileSync("/proc/self/status", "utf8").match(/VmRSS:\s+(\d+)/)[1]) * 1024;
const rss = rssOfTree(process.pid) - own;
await browser.close();

const mb = (bytes) => (bytes / 1024 / 1024).toFixed(0);
console.log(`DaemonSets: ${count}; rows in the page after scrolling: ${renderedRows}`);
console.log(`time to first rows: ${firstRows} ms; to all ${count} rows: ${allRows} ms`);
console.log(`scrolling the whole list (${frames.steps} steps): frame interval median ${frames.median.toFixed(1)} ms, p95 ${frames.p95.toFixed(1)} ms, max ${frames.max.toFixed(1)} ms`);
console.log(`JS heap used ${mb(metrics.JSHeapUsedSize)} MB of ${mb(metrics.JSHeapTotalSize)} MB; wasm memory ${wasmBytes === null ? "n/a" : mb(wasmBytes) + " MB"}; browser RSS (all processes) ${mb(rss)} MB`);
// The same columns as the table in RESULTS.md.
console.log(`| ${new Date().toISOString().slice(0, 10)} | ${count} | ${firstRows} ms | ${allRows} ms | ${frames.median.toFixed(1)} / ${frames.p95.toFixed(1)} ms | ${mb(metrics.JSHeapUsedSize)} MB | ${wasmBytes === null ? "n/a" : mb(wasmBytes) + " MB"} | ${mb(rss)} MB |`);
