// Edit YAML on the DaemonSet page: Monaco with the cluster's schema, a diff and a server-side
// dry run before anything is applied, and a conflict view instead of overwriting someone else's
// change. Typing goes through the real keyboard into Monaco.
import { expect, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { agentManifest, createProject, deleteProject, kubectl, signIn, uniqueProject } from "./testbed.mjs";

const project = uniqueProject("e2e-yaml");

// `create` rather than `apply`: no last-applied-configuration annotation, so the YAML is short
// enough for every line to be on screen (Monaco renders only the visible lines).
function createAgent(name) {
  kubectl(["create", "-f", "-"], agentManifest(project, name));
  // The controller writes the status until every pod is ready, and each write is a new
  // resourceVersion; edits start once it has settled, so the only conflicts are the tests' own.
  for (let i = 0; i < 100; i++) {
    const [generation, observed, desired, ready, updated] = jsonpath(
      name,
      "{.metadata.generation} {.status.observedGeneration} {.status.desiredNumberScheduled} {.status.numberAvailable} {.status.updatedNumberScheduled}",
    ).split(" ");
    if (desired > 0 && observed === generation && ready === desired && updated === desired) return;
    execFileSync("sleep", ["0.2"]);
  }
  throw new Error(`DaemonSet ${name} did not settle`);
}

const jsonpath = (name, path) =>
  kubectl(["-n", project, "get", "daemonset", name, "-o", `jsonpath=${path}`]);

const image = (name) => jsonpath(name, "{.spec.template.spec.containers[0].image}");

/** Opens the DaemonSet page and its Edit YAML dialog, and waits for the editor. */
async function openEditor(page, name) {
  await page.goto(`/projects/${project}/daemonsets/${name}`);
  await page.getByRole("button", { name: "Edit YAML" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit YAML" });
  await expect(dialog.locator(".monaco-editor .view-lines")).toContainText("registry.local/agent");
  return dialog;
}

/** Puts the cursor at the end of the first editor line containing `text`. */
async function endOfLine(dialog, text) {
  await dialog.locator(".yaml-editor-frame .view-line", { hasText: text }).first().click();
  await dialog.page().keyboard.press("End");
}

/** Changes the image tag 1.0 to `tag` by typing. */
async function retag(dialog, tag) {
  await endOfLine(dialog, "registry.local/agent:1.0");
  for (let i = 0; i < 3; i++) await dialog.page().keyboard.press("Backspace");
  await dialog.page().keyboard.type(tag);
  await expect(dialog.locator(".monaco-editor .view-lines")).toContainText(`registry.local/agent:${tag}`);
}

test.use({ viewport: { width: 1400, height: 1000 } });
test.beforeAll(() => createProject(project));
test.afterAll(() => deleteProject(project));
test.beforeEach(async ({ page }) => signIn(page, "admin"));

test("an edited image is reviewed as a diff, passes the dry run, and is applied", async ({ page }) => {
  createAgent("edited");
  const dialog = await openEditor(page, "edited");
  await retag(dialog, "2.0");
  await dialog.getByRole("button", { name: "Review changes" }).click();

  const diff = dialog.locator(".yaml-diff");
  await expect(diff.locator(".line-delete").first()).toBeVisible();
  await expect(diff.locator(".modified-in-monaco-diff-editor")).toContainText("registry.local/agent:2.0");
  await expect(diff.locator(".original-in-monaco-diff-editor")).toContainText("registry.local/agent:1.0");
  await expect(dialog.getByText("The server accepts this change (dry run).")).toBeVisible();
  expect(image("edited")).toBe("registry.local/agent:1.0");

  await dialog.getByRole("button", { name: "Apply", exact: true }).click();
  await expect(dialog).toHaveCount(0);
  expect(image("edited")).toBe("registry.local/agent:2.0");
  await expect(page.locator(".overview")).toContainText("registry.local/agent:2.0");
});

test("a change made with kubectl meanwhile is shown as a conflict and never overwritten", async ({ page }) => {
  createAgent("raced");
  const dialog = await openEditor(page, "raced");
  await retag(dialog, "3.0");
  await dialog.getByRole("button", { name: "Review changes" }).click();
  await expect(dialog.getByText("The server accepts this change (dry run).")).toBeVisible();

  kubectl(["-n", project, "annotate", "daemonset/raced", "example.com/edited-by=kubectl"]);
  await dialog.getByRole("button", { name: "Apply", exact: true }).click();

  await expect(dialog.getByRole("alert").filter({ hasText: "Someone else changed this DaemonSet" })).toBeVisible();
  await expect(dialog.locator(".yaml-diff .modified-in-monaco-diff-editor")).toContainText("example.com/edited-by");
  expect(image("raced")).toBe("registry.local/agent:1.0");
  expect(jsonpath("raced", "{.metadata.annotations.example\\.com/edited-by}")).toBe("kubectl");
  const draft = await page.evaluate((key) => sessionStorage.getItem(key), `console.edit-yaml/${project}/raced`);
  expect(JSON.parse(draft).text).toContain("registry.local/agent:3.0");

  await dialog.getByRole("button", { name: "Apply my changes on top of the latest" }).click();
  await expect(dialog.locator(".yaml-diff .modified-in-monaco-diff-editor")).toContainText("registry.local/agent:3.0");
  await expect(dialog.getByText("The server accepts this change (dry run).")).toBeVisible();
  await dialog.getByRole("button", { name: "Apply", exact: true }).click();
  await expect(dialog).toHaveCount(0);
  expect(image("raced")).toBe("registry.local/agent:3.0");
  expect(jsonpath("raced", "{.metadata.annotations.example\\.com/edited-by}")).toBe("kubectl");
});

test("invalid YAML is reported with its line and the text is kept", async ({ page }) => {
  createAgent("broken");
  const dialog = await openEditor(page, "broken");
  await endOfLine(dialog, "kind: DaemonSet");
  await page.keyboard.press("Enter");
  await page.keyboard.type("  oops: here");
  await dialog.getByRole("button", { name: "Review changes" }).click();

  await expect(dialog.getByRole("alert")).toContainText("The YAML is not valid");
  await expect(dialog.getByRole("alert")).toContainText("Line 3, column");
  await expect(dialog.locator(".monaco-editor .view-lines")).toContainText("oops");
  await expect(dialog.getByRole("button", { name: "Review changes" })).toBeVisible();
});

test("a change the apiserver refuses is shown by the dry run and cannot be applied", async ({ page }) => {
  createAgent("refused");
  const dialog = await openEditor(page, "refused");
  await endOfLine(dialog, "revisionHistoryLimit");
  await page.keyboard.press("Enter");
  await page.keyboard.type("minReadySeconds");
  await page.keyboard.press("Escape");
  await page.keyboard.type(": -5");
  await dialog.getByRole("button", { name: "Review changes" }).click();

  await expect(dialog.getByRole("alert")).toContainText("The server refuses this change");
  await expect(dialog.getByRole("alert")).toContainText("spec.minReadySeconds");
  await expect(dialog.getByRole("button", { name: "Apply", exact: true })).toBeDisabled();
  expect(jsonpath("refused", "{.spec.minReadySeconds}")).toBe("");
});

test("the editor is downloaded only when it is opened, and runs within the CSP", async ({ page }) => {
  createAgent("lazy");
  const editorAssets = [];
  const problems = [];
  page.on("request", (request) => {
    if (request.url().includes("/editor/")) editorAssets.push(new URL(request.url()).pathname.split("/").pop());
  });
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().includes("401")) problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));

  await page.goto(`/projects/${project}/daemonsets`);
  await expect(page.locator("tr.row", { hasText: "lazy" })).toBeVisible();
  await page.goto(`/projects/${project}/daemonsets/lazy`);
  await expect(page.locator(".overview")).toBeVisible();
  expect(editorAssets).toEqual([]);

  const dialog = await openEditor(page, "lazy");
  await retag(dialog, "4.0");
  await dialog.getByRole("button", { name: "Review changes" }).click();
  await expect(dialog.locator(".yaml-diff .line-insert").first()).toBeVisible();
  for (const file of ["yaml-editor.js", "yaml-editor.css", "codicon.ttf", "yaml.worker.js", "editor.worker.js"]) {
    expect(editorAssets).toContain(file);
  }
  expect(problems).toEqual([]);
});

test("completion offers DaemonSet fields from the cluster's schema", async ({ page }) => {
  createAgent("completed");
  const dialog = await openEditor(page, "completed");
  await endOfLine(dialog, "revisionHistoryLimit");
  await page.keyboard.press("Enter");
  await page.keyboard.type("minR");
  await page.keyboard.press("Control+Space");
  await expect(dialog.locator(".suggest-widget")).toContainText("minReadySeconds");
});

test("an edit not applied survives a reload, and Cancel asks before discarding it", async ({ page }) => {
  createAgent("kept");
  let dialog = await openEditor(page, "kept");
  await retag(dialog, "5.0");
  await page.reload();
  dialog = page.getByRole("dialog", { name: "Edit YAML" });
  await expect(dialog.getByText("Your changes that were not applied yet have been restored.")).toBeVisible();
  await expect(dialog.locator(".monaco-editor .view-lines")).toContainText("registry.local/agent:5.0");

  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog.getByText("Discard your changes?")).toBeVisible();
  await dialog.getByRole("button", { name: "Keep editing" }).click();
  await expect(dialog.locator(".monaco-editor .view-lines")).toContainText("registry.local/agent:5.0");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await dialog.getByRole("button", { name: "Discard changes" }).click();
  await expect(dialog).toHaveCount(0);
  await page.reload();
  await expect(page.locator(".overview")).toBeVisible();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  expect(image("kept")).toBe("registry.local/agent:1.0");
});
