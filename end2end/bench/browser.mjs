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
