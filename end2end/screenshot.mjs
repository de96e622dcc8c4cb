// Takes a full-page screenshot of a console page in Debian's Chromium, for looking at it.
//   node end2end/screenshot.mjs URL OUT.png [en|zh-CN]
import { chromium } from "@playwright/test";

const [url, out, lang = "en"] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 800 }, locale: lang });
await page.addInitScript((tag) => localStorage.setItem("console.lang", tag), lang);
await page.goto(url);
await page.waitForLoadState("networkidle");
await page.screenshot({ path: out, fullPage: true });
await browser.close();
