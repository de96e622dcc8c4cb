// The DaemonSet list, seen in a real browser against the real apiserver.
import { expect, test } from "@playwright/test";
import { agentManifest, createProject, deleteProject, kubectl, signIn, uniqueProject } from "./testbed.mjs";

const project = uniqueProject("e2e-list");

const manifest = (name) =>
  agentManifest(project, name, {
    annotations: "{ kubesphere.io/alias-name: Log shipper }",
    image: "registry.local/log-shipper:2.4",
  });

test.beforeAll(() => {
  createProject(project);
  kubectl(["apply", "-f", "-"], manifest("log-shipper"));
});

test.afterAll(() => deleteProject(project));

test.beforeEach(async ({ page }) => signIn(page, "admin"));

test("a DaemonSet created with kubectl appears in the list with its project, alias and image", async ({ page }) => {
  await page.goto("/daemonsets");
  const row = page.locator("tr.row", { hasText: "log-shipper" });
  await expect(row).toBeVisible();
  await expect(row).toContainText(project);
  await expect(row).toContainText("Log shipper");
  await expect(row).toContainText("registry.local/log-shipper:2.4");
  await expect(row).toContainText("disktype=ssd");
  await expect(page.getByRole("columnheader", { name: "Name" })).toBeVisible();
});

test("the list reads in Simplified Chinese after switching, and the choice survives a reload", async ({ page }) => {
  await page.goto(`/projects/${project}/daemonsets`);
  await expect(page.locator("tr.row", { hasText: "log-shipper" })).toBeVisible();
  await page.getByRole("button", { name: "简体中文" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("守护进程集");
  await expect(page.getByRole("columnheader", { name: "名称" })).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "节点选择器" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");

  await page.reload();
  await expect(page.getByRole("columnheader", { name: "名称" })).toBeVisible();
  await expect(page.locator("tr.row", { hasText: "log-shipper" })).toBeVisible();
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("columnheader", { name: "Name" })).toBeVisible();
});

test("a column hidden with the column chooser stays hidden after a reload and in the other language", async ({ page }) => {
  await page.goto(`/projects/${project}/daemonsets`);
  await expect(page.getByRole("columnheader", { name: "Images" })).toBeVisible();
  await page.locator(".column-chooser summary").click();
  await page.getByRole("checkbox", { name: "Images" }).uncheck();
  await expect(page.getByRole("columnheader", { name: "Images" })).toHaveCount(0);

  await page.reload();
  await expect(page.locator("tr.row", { hasText: "log-shipper" })).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "Images" })).toHaveCount(0);
  await expect(page.getByRole("columnheader", { name: "Name" })).toBeVisible();
  await page.getByRole("button", { name: "简体中文" }).click();
  await expect(page.getByRole("columnheader", { name: "名称" })).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "镜像" })).toHaveCount(0);
  await page.getByRole("button", { name: "English" }).click();

  await page.locator(".column-chooser summary").click();
  await page.getByRole("checkbox", { name: "Images" }).check();
  await expect(page.getByRole("columnheader", { name: "Images" })).toBeVisible();
});

test("a project's page lists only that project's DaemonSets", async ({ page }) => {
  await page.goto(`/projects/${project}/daemonsets`);
  await expect(page.locator("tr.row")).toHaveCount(1);
  await expect(page.locator(".scope")).toContainText(project);
  await expect(page.locator(".project-picker select")).toHaveValue(project);
});

test("an unknown page says so and links back to the list", async ({ page }) => {
  await page.goto("/no/such/page");
  await expect(page.getByText("This page does not exist.")).toBeVisible();
  await page.getByRole("link", { name: "Back to DaemonSets" }).click();
  await expect(page).toHaveURL(/\/daemonsets$/);
});

test("row actions restart a DaemonSet, and batch delete removes several after one confirmation", async ({ page }) => {
  for (const name of ["batch-a", "batch-b", "batch-c"]) kubectl(["apply", "-f", "-"], manifest(name));
  await page.goto(`/projects/${project}/daemonsets`);
  const row = (name) => page.locator("tr.row", { hasText: name });
  await expect(row("batch-c")).toBeVisible();

  await row("batch-c").getByRole("button", { name: "More" }).click();
  await row("batch-c").getByRole("menuitem", { name: "Restart", exact: true }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Restart", exact: true }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  expect(kubectl(["-n", project, "get", "daemonset", "batch-c", "-o", "jsonpath={.spec.template.metadata.annotations}"]))
    .toContain("kubectl.kubernetes.io/restartedAt");

  await row("batch-a").getByRole("checkbox").check();
  await row("batch-b").getByRole("checkbox").check();
  await page.getByRole("button", { name: "Delete selected (2)" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText(`${project}/batch-a`);
  await expect(dialog).toContainText(`${project}/batch-b`);
  await dialog.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(dialog.locator("li", { hasText: "batch-a" })).toContainText("deleted");
  await expect(dialog.locator("li", { hasText: "batch-b" })).toContainText("deleted");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect.poll(() => kubectl(["-n", project, "get", "daemonsets", "-o", "name"])).not.toContain("batch-a");
  expect(kubectl(["-n", project, "get", "daemonsets", "-o", "name"])).toContain("batch-c");
});

test("while the list scrolls, a ticked box and an open menu stay with their DaemonSet", async ({ page }) => {
  // Enough rows that scrolling to the end hands every drawn row to another DaemonSet.
  const many = uniqueProject("e2e-scroll");
  createProject(many);
  try {
    const names = Array.from({ length: 60 }, (_, i) => `agent-${String(i).padStart(2, "0")}`);
    kubectl(["apply", "-f", "-"], names.map((name) => agentManifest(many, name)).join("\n---\n"));
    await page.goto(`/projects/${many}/daemonsets`);
    await expect(page.locator(".live-on")).toContainText("60");
    const row = (name) => page.locator("tr.row", { hasText: name });
    const ticked = page.locator("tr.row input[type=checkbox]:checked");
    const scrollTo = (end) =>
      page.locator(".table-viewport").evaluate((viewport, end) => { viewport.scrollTop = end ? viewport.scrollHeight : 0; }, end);
    await row("agent-01").getByRole("checkbox").check();
    await row("agent-02").getByRole("button", { name: "More" }).click();
    await expect(row("agent-02").getByRole("menuitem", { name: "Restart", exact: true })).toBeVisible();

    await scrollTo(true);
    await expect(row("agent-59")).toBeVisible();
    await expect(ticked).toHaveCount(0);
    await expect(page.getByRole("menuitem", { name: "Restart", exact: true })).toHaveCount(0);

    await scrollTo(false);
    await expect(row("agent-01").getByRole("checkbox")).toBeChecked();
    await expect(ticked).toHaveCount(1);
    await expect(page.getByRole("button", { name: "Delete selected (1)" })).toBeVisible();
  } finally {
    deleteProject(many);
  }
});
