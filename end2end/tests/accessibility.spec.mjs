// Every page, in light and dark, in English and Simplified Chinese, checked with axe-core's
// WCAG 2 A and AA rules: any violation fails. The dark runs come from the system's setting
// (an emulated prefers-color-scheme), which the console follows until the user picks a theme.
// Controls are found by role and class, not by their words, so one walk serves both languages.
import { expect, test } from "@playwright/test";
import { expectAccessible } from "./axe.mjs";
import { agentManifest, createProject, deleteProject, kubectl, signIn, uniqueProject } from "./testbed.mjs";

const project = uniqueProject("e2e-a11y");
const agent = "a11y-agent";

test.use({ viewport: { width: 1400, height: 1000 } });
test.beforeAll(() => {
  createProject(project);
  kubectl(["apply", "-f", "-"], agentManifest(project, agent, {
    annotations: "{ kubesphere.io/alias-name: Accessible agent }",
    container: "          env: [{ name: LOG_LEVEL, value: info }]",
  }));
  kubectl(["-n", project, "rollout", "status", `daemonset/${agent}`, "--timeout=60s"]);
  // A second revision, so the revisions tab has a diff and a rollback.
  kubectl(["-n", project, "set", "image", `daemonset/${agent}`, "agent=registry.local/agent:2.0"]);
  kubectl(["-n", project, "rollout", "status", `daemonset/${agent}`, "--timeout=60s"]);
});
test.afterAll(() => deleteProject(project));

const firstPod = () =>
  kubectl(["-n", project, "get", "pods", "-l", `app=${agent}`, "-o", "jsonpath={.items[0].metadata.name}"]);

const dialog = (page) => page.getByRole("dialog");

/** Closes the open dialog with Escape, as a keyboard user would. */
async function escape(page) {
  await page.keyboard.press("Escape");
  await expect(dialog(page)).toHaveCount(0);
}

for (const theme of ["light", "dark"]) {
  for (const lang of ["en", "zh-CN"]) {
    test.describe(`${theme} theme, ${lang}`, () => {
      test.use({ colorScheme: theme });
      test.beforeEach(async ({ page }) => {
        await page.addInitScript((lang) => localStorage.setItem("console.lang", lang), lang);
      });

      test("sign-in, with a problem shown and with the token tab", async ({ page }) => {
        await page.goto("/sign-in");
        await expect(page.locator("html")).toHaveAttribute("data-theme", theme);
        await expect(page.locator("html")).toHaveAttribute("lang", lang);
        await expectAccessible(page, "sign-in");
        await page.locator('button[type="submit"]').click();
        await expect(page.locator(".form-problem p").first()).toBeVisible();
        await expectAccessible(page, "sign-in with a problem");
        await page.getByRole("tab").nth(1).click();
        await expect(page.locator('textarea[name="token"]')).toBeVisible();
        await expectAccessible(page, "sign-in with a token");
      });

      test("the list with rows, filters, the column chooser and a row menu open", async ({ page }) => {
        await signIn(page, "admin", `/projects/${project}/daemonsets`);
        await expect(page.locator("tr.row", { hasText: agent })).toBeVisible();
        await expectAccessible(page, "the list");
        await page.locator(".filters .search").fill("a11y");
        await page.locator(".filters select").selectOption("running");
        await expect(page.locator("tr.row", { hasText: agent })).toBeVisible();
        await expectAccessible(page, "the filtered list");
        await page.locator(".column-chooser summary").click();
        await expect(page.locator(".column-chooser .menu")).toBeVisible();
        await expectAccessible(page, "the column chooser");
        await page.keyboard.press("Escape");
        await page.locator("tr.row", { hasText: agent }).locator(".row-menu-toggle").click();
        await expect(page.getByRole("menu")).toBeVisible();
        await expectAccessible(page, "a row menu");
      });

      test("every confirmation dialog of the list", async ({ page }) => {
        await signIn(page, "admin", `/projects/${project}/daemonsets`);
        const row = page.locator("tr.row", { hasText: agent });
        for (const [index, what] of ["edit information", "edit YAML", "restart", "delete"].entries()) {
          await row.locator(".row-menu-toggle").click();
          await page.getByRole("menuitem").nth(index).click();
          await expect(dialog(page)).toBeVisible();
          if (what === "edit YAML") await expect(dialog(page).locator(".monaco-editor .view-lines")).toContainText("registry.local/agent");
          if (what === "delete") await dialog(page).locator('input[name="confirm-name"]').fill("not-the-name");
          await expectAccessible(page, `the ${what} dialog`);
          await escape(page);
        }
        await row.locator('input[type="checkbox"]').check();
        await page.locator(".filters button.danger").click();
        await expectAccessible(page, "the batch delete dialog");
        await escape(page);
      });

      test("the DaemonSet page, each tab, the rollback dialog, and edit YAML with its diff", async ({ page }) => {
        await signIn(page, "admin", `/projects/${project}/daemonsets/${agent}`);
        await expect(page.locator(".overview")).toBeVisible();
        const tabs = page.locator(".detail-tabs [role=tab]");
        const count = await tabs.count();
        for (let i = 0; i < count; i++) {
          await tabs.nth(i).click();
          await expect(tabs.nth(i)).toHaveAttribute("aria-selected", "true");
          const key = new URL(await tabs.nth(i).evaluate((a) => a.href)).searchParams.get("tab");
          if (key === "pods" || key === "nodes") await expect(page.locator(".tab-panel tr.row").first()).toBeVisible();
          if (key === "logs") await expect(page.locator(".log-line").first()).toBeVisible();
          if (key === "revisions") await expect(page.locator(".diff-line.added").first()).toBeVisible();
          if (key === "environment") await expect(page.locator("table.pairs")).toContainText("LOG_LEVEL");
          await expectAccessible(page, `the ${key} tab`);
        }
        await page.locator(".detail-tabs [role=tab][href$=\"tab=revisions\"]").click();
        await page.locator("table.revisions tr.row").nth(1).getByRole("button").click();
        await expectAccessible(page, "the rollback dialog");
        await escape(page);

        await page.locator(".toolbar.actions button").nth(1).click();
        const editor = dialog(page);
        await expect(editor.locator(".monaco-editor .view-lines")).toContainText("registry.local/agent:2.0");
        await editor.locator(".view-line", { hasText: "registry.local/agent:2.0" }).first().click();
        await page.keyboard.press("End");
        await page.keyboard.type("-next");
        await editor.locator(".dialog-actions button.primary").click();
        await expect(editor.locator(".yaml-diff .line-insert").first()).toBeVisible();
        await expect(editor.locator(".check-passed")).toBeVisible();
        await expectAccessible(page, "the edit YAML diff");
      });

      test("the pod page, the container page with its log, and a terminal", async ({ page }) => {
        const pod = firstPod();
        await signIn(page, "admin", `/projects/${project}/pods/${pod}`);
        await expect(page.locator(".overview")).toBeVisible();
        await expectAccessible(page, "the pod page");
        await page.goto(`/projects/${project}/pods/${pod}/containers/agent`);
        await expect(page.locator(".log-line").first()).toBeVisible();
        await expectAccessible(page, "the container page and its log");
        await page.locator(".terminal-start button[type=submit]").click();
        await expect(page.locator(".terminal-status .live-on")).toBeVisible();
        await expectAccessible(page, "the terminal");
      });

      test("every wizard step with a problem shown, the import dialog and code mode", async ({ page }) => {
        await signIn(page, "admin", `/daemonsets/new?project=${project}`);
        const field = (path) => page.locator(`[data-path="${path}"]`);
        const next = () => page.locator(".step-actions button.primary").click();
        const steps = page.locator(".stepper button");
        await field("metadata.name").fill("Not_A_Name");
        await expect(page.locator(".field-problem").first()).toBeVisible();
        await expectAccessible(page, "the wizard's basic step with a problem");
        await next();
        const container = "spec.template.spec.containers[0]";
        await field(`${container}.image`).fill("registry.local/agent:1.0");
        await page.locator("details.advanced > summary").first().click();
        await field(`${container}.resources.requests.cpu`).fill("lots");
        await next();
        await steps.nth(1).click();
        await expect(page.locator(".field-problem").first()).toBeVisible();
        await expectAccessible(page, "the wizard's pod step with problems");
        await steps.nth(2).click();
        await page.locator(".step button.add").first().click();
        await field("spec.template.spec.volumes[0].name").fill("Bad Volume");
        await steps.nth(3).click();
        await page.locator(".step button.add").first().click();
        await field("metadata.labels[0].key").fill("bad key!");
        await steps.nth(2).click();
        await expect(page.locator(".field-problem").first()).toBeVisible();
        await expectAccessible(page, "the wizard's storage step with a problem");
        await steps.nth(3).click();
        await expect(page.locator(".field-problem").first()).toBeVisible();
        await expectAccessible(page, "the wizard's labels step with a problem");
        await steps.nth(4).click();
        await page.locator(".step button.add").first().click();
        await field("spec.template.spec.nodeSelector[0].key").fill("disktype");
        await field("spec.template.spec.nodeSelector[0].value").fill("not a value");
        await steps.nth(5).click();
        await steps.nth(4).click();
        await expect(page.locator(".field-problem").first()).toBeVisible();
        await expect(page.locator(".matching-nodes li").first()).toBeVisible();
        await expectAccessible(page, "the wizard's node step with a problem");
        await steps.nth(5).click();
        await page.locator(".create-bar button.primary").click();
        await expect(page.locator(".create-problem")).toBeVisible();
        await expectAccessible(page, "the wizard's summary with its problems");

        await page.locator(".page-header .toolbar > button").click();
        await dialog(page).locator("textarea").fill("kind: Deployment\n");
        await dialog(page).locator("button.primary").click();
        await expect(dialog(page).locator(".form-problem")).toBeVisible();
        await expectAccessible(page, "the import dialog with a problem");
        await escape(page);

        await page.locator(".mode-switch button").nth(1).click();
        await expect(page.locator(".code-mode .monaco-editor .view-lines")).toContainText("registry.local/agent:1.0");
        await expectAccessible(page, "code mode");
      });
    });
  }
}
