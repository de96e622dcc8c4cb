// Measures the nodes tab in Chromium while a DaemonSet rolls out over BENCH_COUNT nodes.
// Run through rollout-nodes.sh, which sets everything up and starts the rollout.
import { scrollFrames, signedInPage } from "./browser.mjs";

const base = process.env.CONSOLE_URL;
const count = Number(process.env.BENCH_COUNT);

const { browser, page } = await signedInPage(base);

await page.goto("about:blank");
const start = Date.now();
await page.goto(`${base}/projects/bench/daemonsets/agent?tab=nodes`);
await page.locator(".tab-panel tr.row").first().waitFor({ timeout: 120_000 });
const firstRows = Date.now() - start;
// Every node is in the rollout once the panel counts them all.
await page.locator(".rollout-panel", { hasText: ` of ${count} nodes on revision` }).waitFor({ timeout: 120_000 });
const allRows = Date.now() - start;
const progressAtStart = await page.locator(".rollout-counts").innerText();

// Scrolls the whole table twice, recording the interval of every frame.
const scroll = () => scrollFrames(page, ".tab-panel .table-viewport", 2);
const frames = await scroll();
const progressAfter = await page.locator(".rollout-counts").innerText().catch(() => "rollout finished");
const renderedRows = await page.locator(".tab-panel tr.row").count();
// The same scroll once the rollout is over and no event arrives.
await page.locator(".rollout-panel").waitFor({ state: "detached", timeout: 300_000 });
const rest = await scroll();

const cdp = await page.context().newCDPSession(page);
await cdp.send("HeapProfiler.collectGarbage");
await cdp.send("Performance.enable");
const metrics = Object.fromEntries((await cdp.send("Performance.getMetrics")).metrics.map((m) => [m.name, m.value]));
const wasmBytes = await page.evaluate(() => globalThis.__consoleWasmMemory?.buffer.byteLength ?? null);
await browser.close();

const mb = (bytes) => (bytes / 1024 / 1024).toFixed(0);
console.log(`nodes: ${count}; rows in the page: ${renderedRows}`);
console.log(`rollout when the table was whole: ${progressAtStart}; after scrolling: ${progressAfter}`);
console.log(`time to first node rows: ${firstRows} ms; to all ${count} nodes in the rollout: ${allRows} ms`);
console.log(`scrolling (${frames.steps} steps): frame interval median ${frames.median.toFixed(1)} ms, p95 ${frames.p95.toFixed(1)} ms, max ${frames.max.toFixed(1)} ms`);
console.log(`scrolling at rest, the rollout over (${rest.steps} steps): median ${rest.median.toFixed(1)} ms, p95 ${rest.p95.toFixed(1)} ms, max ${rest.max.toFixed(1)} ms`);
console.log(`| ${new Date().toISOString().slice(0, 10)} | ${count} | ${firstRows} ms | ${allRows} ms | ${frames.median.toFixed(1)} / ${frames.p95.toFixed(1)} ms | ${rest.median.toFixed(1)} / ${rest.p95.toFixed(1)} ms | ${mb(metrics.JSHeapUsedSize)} MB | ${wasmBytes === null ? "n/a" : mb(wasmBytes) + " MB"} |`);
