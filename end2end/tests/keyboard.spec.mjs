// The console without a mouse: after signing in, every step below is a key press. `tabTo`
// presses Tab until the wanted control has focus, so each test also proves that control can be
// reached with Tab at all.
import { expect, test } from "@playwright/test";
import { agentManifest, createProject, deleteProject, kubectl, signIn, uniqueProject } from "./testbed.mjs";

const project = uniqueProject("e2e-keys");

test.use({ viewport: { width: 1400, height: 1000 } });
test.beforeAll(() => {
  createProject(project);
  kubectl(["apply", "-f", "-"], agentManifest(project, "keyed"));
  kubectl(["-n", project, "rollout", "status", "daemonset/keyed", "--timeout=60s"]);
});
test.afterAll(() => deleteProject(project));
test.beforeEach(async ({ page }) => signIn(page, "admin"));

/** Presses Tab until `target` has focus; fails if 60 presses do not get there. */
async function tabTo(page, target) {
  for (let i = 0; i < 60; i++) {
    if (await target.evaluate((element) => element === document.activeElement).catch(() => false)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${target}`);
}

const focused = (page) => page.locator(":focus");

test("a DaemonSet is created from the wizard with the keyboard alone", async ({ page }) => {
  await page.goto(`/projects/${project}/daemonsets`);
  await tabTo(page, page.getByRole("link", { name: "Create" }));
  await page.keyboard.press("Enter");
  const field = (path) => page.locator(`[data-path="${path}"]`);
  await tabTo(page, field("metadata.name"));
  await page.keyboard.type("typed-agent");
  const next = page.locator(".step-actions").getByRole("button", { name: "Next" });
  await tabTo(page, next);
  await page.keyboard.press("Enter");
  // The new step's heading takes focus, so Tab goes on from the top of the step.
  await expect(focused(page)).toHaveText("Pod settings");
  await tabTo(page, field("spec.template.spec.containers[0].name"));
  await page.keyboard.type("agent");
  await page.keyboard.press("Tab");
  await expect(focused(page)).toHaveAttribute("data-path", "spec.template.spec.containers[0].image");
  await page.keyboard.type("registry.local/agent:1.0");
  await tabTo(page, next);
  await page.keyboard.press("Enter");
  await expect(focused(page)).toHaveText("Storage");
  await tabTo(page, next);
  await page.keyboard.press("Enter");
  await tabTo(page, page.getByRole("button", { name: "Add label" }));
  await page.keyboard.press("Enter");
  await tabTo(page, field("metadata.labels[0].key"));
  await page.keyboard.type("app");
  await tabTo(page, field("metadata.labels[0].value"));
  await page.keyboard.type("typed-agent");
  await tabTo(page, next);
  await page.keyboard.press("Enter");
  await tabTo(page, next);
  await page.keyboard.press("Enter");
  await expect(focused(page)).toHaveText("Summary");
  await tabTo(page, page.locator(".create-bar").getByRole("button", { name: "Create" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/projects/${project}/daemonsets/typed-agent$`));
  expect(kubectl(["-n", project, "get", "daemonset", "typed-agent", "-o", "jsonpath={.spec.template.spec.containers[0].image}"]))
    .toBe("registry.local/agent:1.0");
});

test("a DaemonSet is restarted from its row menu with the keyboard alone, focus kept in the dialog", async ({ page }) => {
  await page.goto(`/projects/${project}/daemonsets`);
  await expect(page.locator("tr.row", { hasText: "keyed" })).toBeVisible();
  // `/` goes to the search from anywhere on the list.
  await page.keyboard.press("/");
  await expect(focused(page)).toHaveClass(/search/);
  await page.keyboard.type("keyed");
  const toggle = page.locator("tr.row", { hasText: "keyed" }).locator(".row-menu-toggle");
  await tabTo(page, toggle);
  await page.keyboard.press("Enter");
  // The menu opens on its first item; arrows move along it, Escape closes it onto its button.
  await expect(focused(page)).toHaveText("Edit information");
  await page.keyboard.press("Escape");
  await expect(page.getByRole("menu")).toHaveCount(0);
  await expect(toggle).toBeFocused();
  await page.keyboard.press("Enter");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await expect(focused(page)).toHaveText("Restart");
  await page.keyboard.press("Enter");

  const dialog = page.getByRole("dialog", { name: "Restart" });
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  const confirm = dialog.getByRole("button", { name: "Restart", exact: true });
  await page.keyboard.press("Tab");
  await expect(confirm).toBeFocused();
  // Tab wraps around inside the dialog instead of leaving it, both ways.
  await page.keyboard.press("Tab");
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Shift+Tab");
  await expect(confirm).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(dialog).toHaveCount(0);
  // Focus is back where the dialog was opened from.
  await expect(toggle).toBeFocused();
  await expect
    .poll(() => kubectl(["-n", project, "get", "daemonset", "keyed", "-o", "jsonpath={.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}"]))
    .not.toBe("");
});

test("Escape closes a dialog and gives focus back; `/` does not act while a field has focus", async ({ page }) => {
  await page.goto(`/projects/${project}/daemonsets/keyed`);
  const editInfo = page.getByRole("button", { name: "Edit information" });
  await tabTo(page, editInfo);
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Edit information" });
  // The first field takes focus, and keeps the keys it is given: `/` is typed, not a shortcut.
  await expect(dialog.locator('input[name="alias"]')).toBeFocused();
  await page.keyboard.type("a/b");
  await expect(dialog.locator('input[name="alias"]')).toHaveValue("a/b");
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(editInfo).toBeFocused();
});

test("tabs move with the arrow keys, on the DaemonSet page and at sign-in", async ({ page }) => {
  await page.goto(`/projects/${project}/daemonsets/keyed`);
  const pods = page.getByRole("tab", { name: "Pods", exact: true });
  await tabTo(page, pods);
  await page.keyboard.press("ArrowRight");
  await expect(page.getByRole("tab", { name: "Nodes", exact: true })).toBeFocused();
  await expect(page).toHaveURL(/\?tab=nodes$/);
  await expect(page.getByRole("tabpanel", { name: "Nodes", exact: true })).toContainText("kwok-worker-1");
  await page.keyboard.press("End");
  await expect(page.getByRole("tab", { name: "Environment variables" })).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("ArrowRight");
  await expect(pods).toBeFocused();
  await expect(pods).toHaveAttribute("aria-selected", "true");

  await page.getByRole("button", { name: "Sign out" }).press("Enter");
  await expect(page).toHaveURL(/\/sign-in/);
  const account = page.getByRole("tab", { name: "Console account" });
  await tabTo(page, account);
  await page.keyboard.press("ArrowRight");
  await expect(page.getByRole("tab", { name: "Kubernetes token" })).toHaveAttribute("aria-selected", "true");
  await expect(page.getByRole("tabpanel")).toContainText("Bearer token");
});

test("a terminal is opened and used with the keyboard alone", async ({ page }) => {
  const pod = kubectl(["-n", project, "get", "pods", "-l", "app=keyed", "-o", "jsonpath={.items[0].metadata.name}"]);
  await page.goto(`/projects/${project}/pods/${pod}/containers/agent`);
  await tabTo(page, page.getByRole("button", { name: "Open a terminal" }));
  await page.keyboard.press("Enter");
  await expect(page.locator(".terminal-status")).toContainText("Connected");
  // The terminal has the keys once it is open, `/` included.
  const marker = `keys-${Date.now()}`;
  await page.keyboard.type(`echo ${marker}/done\n`);
  await expect(page.locator(".terminal-host .xterm-rows")).toContainText(`${marker}/done`);
});
