// The app's module is split at its pages (app/build.sh): the list and sign-in come in the first
// download; the wizard, a DaemonSet's page, a pod's, a container's, the list's row dialogs and
// its edit YAML each bring their own piece when first opened, in the same page, without a
// reload, within the CSP. The wizard reads the cluster's OpenAPI document only for code mode.
import { expect, test } from "@playwright/test";
import { kubectl, signIn, uniqueProject, createProject } from "./testbed.mjs";

const project = uniqueProject("split");

test.beforeAll(() => {
  createProject(project);
  kubectl(["-n", project, "create", "-f", "-"], JSON.stringify({
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: "pieces" },
    spec: {
      selector: { matchLabels: { app: "pieces" } },
      template: { metadata: { labels: { app: "pieces" } }, spec: { containers: [{ name: "agent", image: "registry.local/agent:1.0" }] } },
    },
  }));
});

test.afterAll(() => kubectl(["delete", "namespace", project, "--wait=false"]));

test("the list loads without the other pages' code, and each page brings its piece when opened", async ({ page }) => {
  const modules = [];
  const problems = [];
  const openapi = [];
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    const file = path.split("/").pop();
    if (file.endsWith(".wasm")) modules.push(file);
    if (path.includes("/openapi/")) openapi.push(path);
  });
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" && !/40[13]/.test(message.text())) problems.push(message.text());
  });
  const loaded = (page) => modules.filter((file) => file.includes(`_${page}_page_`));

  await signIn(page, "admin", `/projects/${project}/daemonsets`);
  await expect(page.locator("tr.row", { hasText: "pieces" })).toBeVisible();
  expect(modules).toEqual(["console_bg.wasm"]);

  // Edit YAML from the row's menu brings its own piece, and works.
  const row = page.locator("tr.row", { hasText: "pieces" });
  await row.getByRole("button", { name: "More" }).click();
  await row.getByRole("menuitem", { name: "Edit YAML" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit YAML" });
  await expect(dialog.locator(".monaco-editor .view-lines")).toContainText("registry.local/agent:1.0");
  expect(modules.filter((file) => file.includes("edit_yaml_dialog"))).toHaveLength(1);
  // The row menu's dialogs share one piece; edit YAML's own comes after it.
  expect(modules.filter((file) => file.includes("row_dialog"))).toHaveLength(1);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toHaveCount(0);

  // Links inside the app: the router fetches the page's piece, then draws it.
  await page.locator("tr.row a.name", { hasText: "pieces" }).click();
  await expect(page.locator(".overview")).toContainText("registry.local/agent:1.0");
  expect(loaded("detail")).toHaveLength(1);
  expect(loaded("create")).toEqual([]);

  await page.getByRole("tab", { name: "Pods" }).click();
  const pod = page.locator(".tab-panel tr.row a.name").first();
  await expect(pod).toBeVisible({ timeout: 30_000 });
  await pod.click();
  await expect(page.locator("table.containers tr.row")).toContainText("agent");
  expect(loaded("pod")).toHaveLength(1);
  await page.locator("table.containers a.name", { hasText: "agent" }).click();
  await expect(page.getByRole("heading", { name: "agent" })).toBeVisible();
  expect(loaded("container")).toHaveLength(1);

  // Edit YAML read the cluster's OpenAPI document for its editor; the wizard, after a reload,
  // must not until code mode opens.
  openapi.length = 0;
  await page.goto(`/projects/${project}/daemonsets`);
  await page.locator(`a[href="/daemonsets/new?project=${project}"]`).click();
  await expect(page.getByRole("heading", { name: "Create a DaemonSet" })).toBeVisible();
  await expect(page.locator('[data-path="metadata.namespace"]')).toHaveValue(project);
  expect(loaded("create")).toHaveLength(1);
  // The cluster's OpenAPI document (for the YAML editor) only once code mode opens, and once.
  expect(openapi).toEqual([]);
  await page.getByRole("button", { name: "YAML", exact: true }).click();
  await expect(page.locator(".code-mode .monaco-editor .view-lines")).toContainText(`namespace: ${project}`);
  await page.getByRole("button", { name: "Form", exact: true }).click();
  await page.getByRole("button", { name: "YAML", exact: true }).click();
  await expect(page.locator(".code-mode .monaco-editor .view-lines")).toContainText(`namespace: ${project}`);
  expect(openapi).toEqual(["/api/k8s/openapi/v3/apis/apps/v1"]);
  // And the editor has it: completion offers the fields of the object's metadata.
  const editor = page.locator(".code-mode .monaco-editor");
  await expect(editor.locator(".view-lines")).not.toContainText("annotations");
  await editor.locator(".view-line", { hasText: `namespace: ${project}` }).click();
  await page.keyboard.press("End");
  await page.keyboard.press("Enter");
  await page.keyboard.type("annot");
  await page.keyboard.press("Control+Space");
  await expect(editor.locator(".suggest-widget")).toContainText("annotations");
  expect(problems).toEqual([]);
});
