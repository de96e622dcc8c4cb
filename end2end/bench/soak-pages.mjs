// Real Chromium pages beside the soak client's sessions: each signs in through the load
// balancer, keeps the soak project's DaemonSet list open for the whole run (through the
// apiserver's restart, a replica's and the hostile requests), and at the end must still be live
// and show what the cluster has. Prints one ok/FAIL line per page; exits non-zero on a FAIL.
//
//   CONSOLE_URL=… SOAK_PAGES=2 SOAK_SECONDS=600 node end2end/bench/soak-pages.mjs
import { kubectl } from "../tests/testbed.mjs";
import { signedInPage } from "./browser.mjs";

const base = process.env.CONSOLE_URL;
const count = Number(process.env.SOAK_PAGES ?? 2);
const seconds = Number(process.env.SOAK_SECONDS ?? 600);
// A browser each: its own session cookie, as separate users have.
const opened = [];
for (let n = 0; n < count; n++) {
  const { browser, page } = await signedInPage(base);
  await page.goto(`${base}/projects/soak/daemonsets`);
  await page.locator(".live-on").waitFor({ timeout: 30_000 });
  opened.push({ browser, page });
}
await new Promise((resolve) => setTimeout(resolve, seconds * 1000));

const names = JSON.parse(kubectl(["-n", "soak", "get", "daemonsets", "-o", "json"])).items.map((ds) => ds.metadata.name);
let failed = 0;
for (const [n, { page }] of opened.entries()) {
  let live = "";
  for (let attempt = 0; attempt < 40 && !live.includes(`· ${names.length}`); attempt++) {
    live = (await page.locator(".live-on").textContent({ timeout: 500 }).catch(() => "")) ?? "";
    if (!live.includes(`· ${names.length}`)) await page.waitForTimeout(250);
  }
  const shown = await page.locator("tr.row a.name").allTextContents();
  if (!live) {
    const state = page.locator(".live");
    live = `${await state.textContent({ timeout: 500 }).catch(() => "no indicator")} ${await state.getAttribute("title", { timeout: 500 }).catch(() => "")}`;
  }
  const ok = live.includes(`· ${names.length}`) && shown.length > 0 && shown.every((name) => names.includes(name));
  if (!ok) failed++;
  console.log(`${ok ? "ok  " : "FAIL"} Chromium page ${n + 1}: live, ${names.length} DaemonSets as the cluster has (shown: "${live.trim()}", ${shown.length} rows drawn)`);
}
for (const { browser } of opened) await browser.close();
console.log(`${opened.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
