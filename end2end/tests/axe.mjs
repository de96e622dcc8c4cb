// axe-core (from npm) run inside the page under test, with the WCAG 2.0 and 2.1 A and AA rules.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { expect } from "@playwright/test";

const source = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const rules = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** Every violation on the page as it is now, one line each: rule, element, what is wrong. */
export async function axeViolations(page) {
  // Evaluated through the debugging protocol, so the page keeps its own CSP (script-src 'self').
  if (!(await page.evaluate(() => typeof globalThis.axe === "object"))) await page.evaluate(source);
  const { violations } = await page.evaluate(
    (values) => globalThis.axe.run(document, { runOnly: { type: "tag", values }, resultTypes: ["violations"] }),
    rules,
  );
  return violations.flatMap((violation) =>
    violation.nodes.map((node) => `${violation.id}: ${node.target.join(" ")}: ${node.failureSummary.replace(/\s+/g, " ")}`),
  );
}

/** Fails, naming `what` and each violation, unless axe finds none on the page as it is now. */
export async function expectAccessible(page, what) {
  expect(await axeViolations(page), `axe violations on ${what}`).toEqual([]);
}
