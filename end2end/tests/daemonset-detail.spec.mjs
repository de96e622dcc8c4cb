// The DaemonSet page and its actions, in a real browser against the real apiserver and
// controllers. Each test works in a project of its own.
import { expect, test } from "@playwright/test";
import { agentManifest, createProject, deleteProject, kubectl, signIn, uniqueProject } from "./testbed.mjs";

const project = uniqueProject("e2e-detail");

const agent = (name) =>
  agentManifest(project, name, { container: "          env:\n            - { name: LOG_LEVEL, value: debug }\n" });

const jsonpath = (name, path) =>
  kubectl(["-n", project, "get", "daemonset", name, "-o", `jsonpath=${path}`]);

test.beforeAll(() => createProject(project));
test.afterAll(() => deleteProject(project));
test.beforeEach(async ({ page }) => signIn(page, "admin"));

test("a change made with kubectl shows up in the open list without reloading or relisting", async ({ page }) => {
  kubectl(["apply", "-f", "-"], agent("watched"));
  const lists = [];
  page.on("request", (request) => {
    const url = request.url();
    if (url.includes(`/namespaces/${project}/daemonsets`) && !url.includes("watch=1")) lists.push(url);
  });
  await page.goto(`/projects/${project}/daemonsets`);
  const row = page.locator("tr.row", { hasText: "watched" });
  await expect(row).toContainText("registry.local/agent:1.0");
  await expect(page.locator(".live-on")).toBeVisible();

  kubectl(["-n", project, "set", "image", "daemonset/watched", "agent=registry.local/agent:2.0"]);
  await expect(row).toContainText("registry.local/agent:2.0");
  kubectl(["-n", project, "annotate", "daemonset/watched", "kubesphere.io/alias-name=Watched agent"]);
  await expect(row).toContainText("Watched agent");
  expect(lists).toHaveLength(1);
});

test("the nodes tab explains a node excluded by a taint and one excluded by the selector", async ({ page }) => {
  kubectl(["apply", "-f", "-"], agent("placed"));
  await page.goto(`/projects/${project}/daemonsets/placed?tab=nodes`);
  const node = (name) => page.locator("tr.row", { hasText: name });
  await expect(node("kwok-gpu-1")).toContainText("Excluded by a taint the pods do not tolerate: dedicated=gpu:NoSchedule");
  await expect(node("kwok-worker-2")).toContainText("Excluded by the node selector; the node lacks disktype=ssd");
  await expect(node("kwok-worker-1")).toContainText("Running");
  await expect(node("kwok-edge-2")).toContainText("cordoned");
  await expect(node("kwok-edge-2")).toContainText("Running");

  await page.getByRole("button", { name: "简体中文" }).click();
  await expect(node("kwok-gpu-1")).toContainText("被容器组不容忍的污点排除");
  await expect(node("kwok-worker-2")).toContainText("被节点选择器排除");
});

test("the page shows the overview, live pods, metadata and environment", async ({ page }) => {
  kubectl(["apply", "-f", "-"], agent("shown"));
  await page.goto(`/projects/${project}/daemonsets/shown`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("shown");
  await expect(page.locator(".overview")).toContainText("disktype=ssd");
  await expect(page.locator(".overview")).toContainText("RollingUpdate");
  await expect(page.locator("tr.row")).toHaveCount(3);
  await expect(page.locator("tr.row").first()).toContainText("Running");
  await page.getByRole("tab", { name: "Environment variables" }).click();
  await expect(page.locator("table.pairs")).toContainText("LOG_LEVEL");
  await page.getByRole("tab", { name: "Metadata" }).click();
  await expect(page.locator(".tab-panel")).toContainText("Labels");
});

test("editing the information sets KubeSphere's alias and description annotations", async ({ page }) => {
  kubectl(["apply", "-f", "-"], agent("described"));
  await page.goto(`/projects/${project}/daemonsets/described`);
  await page.getByRole("button", { name: "Edit information" }).click();
  await page.locator('input[name="alias"]').fill("Log agent");
  await page.locator('textarea[name="description"]').fill("Ships node logs to the store.");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Log agent");
  await expect(page.locator(".page-header .intro")).toHaveText("Ships node logs to the store.");
  expect(jsonpath("described", "{.metadata.annotations.kubesphere\\.io/alias-name}")).toBe("Log agent");
  expect(jsonpath("described", "{.metadata.annotations.kubesphere\\.io/description}")).toBe("Ships node logs to the store.");
});

test("restart sets the annotation kubectl rollout restart sets", async ({ page }) => {
  kubectl(["apply", "-f", "-"], agent("restarted"));
  await page.goto(`/projects/${project}/daemonsets/restarted`);
  await page.getByRole("button", { name: "Restart", exact: true }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Restart", exact: true }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  const restartedAt = jsonpath("restarted", "{.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}");
  expect(Date.parse(restartedAt)).not.toBeNaN();
});

test("delete needs the name typed, deletes the pods first, and returns to the list", async ({ page }) => {
  kubectl(["apply", "-f", "-"], agent("doomed"));
  await page.goto(`/projects/${project}/daemonsets/doomed`);
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  const dialog = page.getByRole("dialog");
  const confirm = dialog.getByRole("button", { name: "Delete", exact: true });
  await expect(confirm).toBeDisabled();
  await dialog.locator('input[name="confirm-name"]').fill("doome");
  await expect(confirm).toBeDisabled();
  await dialog.locator('input[name="confirm-name"]').fill("doomed");
  await confirm.click();
  await expect(page).toHaveURL(new RegExp(`/projects/${project}/daemonsets$`));
  await expect(page.locator("tr.row", { hasText: "doomed" })).toHaveCount(0);
  // Pods first: the DaemonSet is removed once the garbage collector has deleted its pods.
  await expect.poll(() => kubectl(["-n", project, "get", "daemonsets", "-o", "name"])).not.toContain("doomed");
});

test("a user who may only view sees no edit, restart or delete controls", async ({ page }) => {
  kubectl(["apply", "-f", "-"], agent("readonly"));
  kubectl(["-n", project, "create", "rolebinding", "alice-view", "--clusterrole=view", "--user=alice"]);
  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, "alice", `/projects/${project}/daemonsets/readonly`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("readonly");
  await expect(page.locator(".overview")).toBeVisible();
  await expect(page.getByRole("button", { name: "Delete", exact: true })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Restart", exact: true })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Edit information" })).toHaveCount(0);

  await page.goto("/projects/logging/daemonsets/logrotate");
  await expect(page.getByRole("button", { name: "Delete", exact: true })).toBeVisible();
  kubectl(["-n", project, "delete", "rolebinding", "alice-view"]);
});

test("the revisions tab diffs two templates, and a rollback restores the older one", async ({ page }) => {
  kubectl(["apply", "-f", "-"], agent("versioned"));
  kubectl(["-n", project, "rollout", "status", "daemonset/versioned", "--timeout=60s"]);
  kubectl(["-n", project, "set", "image", "daemonset/versioned", "agent=registry.local/agent:2.0"]);
  await page.goto(`/projects/${project}/daemonsets/versioned?tab=revisions`);
  const rows = page.locator("table.revisions tr.row");
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText("current");
  await expect(page.locator(".diff-line.removed")).toContainText("registry.local/agent:1.0");
  await expect(page.locator(".diff-line.added")).toContainText("registry.local/agent:2.0");

  await rows.filter({ hasText: "#1" }).getByRole("button", { name: "Roll back" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Roll back" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect.poll(() => jsonpath("versioned", "{.spec.template.spec.containers[0].image}")).toBe("registry.local/agent:1.0");
  await expect(page.locator(".overview")).toContainText("registry.local/agent:1.0");
});
