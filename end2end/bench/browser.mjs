// A signed-in Chromium page for the benchmarks (the tests get theirs from Playwright's runner).
import { chromium } from "@playwright/test";
import { consoleAccounts } from "../tests/testbed.mjs";

/** Launches Debian's Chromium and signs in to `base` as the console's admin account. */
export async function signedInPage(base) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${base}/sign-in`);
  await page.fill('input[name="username"]', "admin");
  await page.fill('input[name="password"]', consoleAccounts().admin);
  await page.click('button[type="submit"]');
  await page.locator(".user-menu .user").waitFor();
  return { browser, page };
}

/**
 * Scrolls the scroller matched by `selector` from top to bottom `passes` times in steps of 80 %
 * of its height, one step per animation frame, and returns the frame intervals: steps, median,
 * p95 and max in ms.
 */
export function scrollFrames(page, selector, passes = 1) {
  return page.evaluate(async ({ selector, passes }) => {
    const viewport = document.querySelector(selector);
    const intervals = [];
    const step = viewport.clientHeight * 0.8;
    let last = performance.now();
    for (let pass = 0; pass < passes; pass++) {
      viewport.scrollTop = 0;
      while (viewport.scrollTop + viewport.clientHeight < viewport.scrollHeight - 1) {
        viewport.scrollTop += step;
        await new Promise((resolve) => requestAnimationFrame(resolve));
        const now = performance.now();
        intervals.push(now - last);
        last = now;
      }
    }
    intervals.sort((a, b) => a - b);
    const at = (q) => intervals[Math.min(intervals.length - 1, Math.floor(q * intervals.length))];
    return { steps: intervals.length, median: at(0.5), p95: at(0.95), max: intervals[intervals.length - 1] };
  }, { selector, passes });
}
