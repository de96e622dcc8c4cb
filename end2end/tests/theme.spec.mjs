// The dark theme: it follows the system's setting until the user picks one beside the language
// switch; the pick is remembered, and the YAML editor and the terminal switch with the page.
import { expect, test } from "@playwright/test";
import { agentManifest, createProject, deleteProject, kubectl, signIn, uniqueProject } from "./testbed.mjs";

const project = uniqueProject("e2e-theme");

test.use({ viewport: { width: 1400, height: 1000 } });
test.beforeAll(() => {
  createProject(project);
  kubectl(["apply", "-f", "-"], agentManifest(project, "themed"));
  kubectl(["-n", project, "rollout", "status", "daemonset/themed", "--timeout=60s"]);
});
test.afterAll(() => deleteProject(project));
test.beforeEach(async ({ page }) => signIn(page, "admin"));

const theme = (page) => page.locator("html");
const background = (locator) => locator.evaluate((element) => getComputedStyle(element).backgroundColor);
const switchTo = (page, name) => page.getByRole("group", { name: "Colour theme" }).getByRole("button", { name, exact: true });

test("the page follows the system's setting until a theme is picked, and the pick is remembered", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto(`/projects/${project}/daemonsets`);
  await expect(theme(page)).toHaveAttribute("data-theme", "dark");
  await expect(switchTo(page, "Auto")).toHaveAttribute("aria-pressed", "true");
  const dark = await background(page.locator("html"));
  await page.emulateMedia({ colorScheme: "light" });
  await expect(theme(page)).toHaveAttribute("data-theme", "light");
  expect(await background(page.locator("html"))).not.toBe(dark);

  await switchTo(page, "Dark").click();
  await expect(theme(page)).toHaveAttribute("data-theme", "dark");
  await expect(switchTo(page, "Dark")).toHaveAttribute("aria-pressed", "true");
  await page.reload();
  await expect(theme(page)).toHaveAttribute("data-theme", "dark");
  expect(await background(page.locator("html"))).toBe(dark);
  await switchTo(page, "Auto").click();
  await expect(theme(page)).toHaveAttribute("data-theme", "light");
});

test("the YAML editor switches theme with the page while it is open", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto(`/projects/${project}/daemonsets/themed`);
  await page.getByRole("button", { name: "Edit YAML" }).click();
  const editor = page.getByRole("dialog").locator(".monaco-editor").first();
  await expect(editor).toHaveClass(/(^|\s)vs(\s|$)/);
  // The dialog covers the switch; the system's setting changes under it instead.
  await page.emulateMedia({ colorScheme: "dark" });
  await expect(editor).toHaveClass(/(^|\s)vs-dark(\s|$)/);
  await page.emulateMedia({ colorScheme: "light" });
  await expect(editor).toHaveClass(/(^|\s)vs(\s|$)/);
});

test("the terminal switches theme with the page while it is open", async ({ page }) => {
  const pod = kubectl(["-n", project, "get", "pods", "-l", "app=themed", "-o", "jsonpath={.items[0].metadata.name}"]);
  await page.goto(`/projects/${project}/pods/${pod}/containers/agent`);
  await page.getByRole("button", { name: "Open a terminal" }).click();
  await expect(page.locator(".terminal-status")).toContainText("Connected");
  // xterm.js colours its text from the theme it was given.
  const text = () => page.locator(".terminal-host .xterm-rows").evaluate((rows) => getComputedStyle(rows).color);
  const light = await text();
  await switchTo(page, "Dark").click();
  await expect.poll(text).not.toBe(light);
  await switchTo(page, "Light").click();
  await expect.poll(text).toBe(light);
});
