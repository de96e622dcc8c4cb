// The DaemonSet list, seen in a real browser against the real apiserver.
import { expect, test } from "@playwright/test";
import { createProject, deleteProject, kubectl, signIn, uniqueProject } from "./testbed.mjs";

const project = uniqueProject("e2e-list");

const manifest = (name) => `
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ${name}
  namespace: ${project}
  annotations:
    kubesphere.io/alias-name: Log shipper
spec:
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      nodeSelector: { disktype: ssd }
      containers:
        - name: shipper
          image: registry.local/log-shipper:2.4
`;

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
