// The create wizard: every step in both languages, YAML import passed through the wizard
// unchanged and compared field by field with what the apiserver stored, code mode on the same
// document, and bad input answered at the right place without losing what was typed.
import { expect, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { agentManifest, createProject, deleteProject, kubectl, signIn, uniqueProject } from "./testbed.mjs";
import { differences, readManifests } from "./subset.mjs";

const project = uniqueProject("e2e-create");
const manifests = new URL("./manifests/wizard/", import.meta.url);

test.use({ viewport: { width: 1400, height: 1000 } });
test.beforeAll(() => createProject(project));
test.afterAll(() => deleteProject(project));
test.beforeEach(async ({ page }, testInfo) => {
  if (!testInfo.title.startsWith("alice")) await signIn(page, "admin");
});

/** Opens the wizard on this test's project. */
async function openWizard(page) {
  await page.goto(`/daemonsets/new?project=${project}`);
  await expect(page.getByRole("heading", { name: "Create a DaemonSet" })).toBeVisible();
}

const next = (page) => page.locator(".step-actions").getByRole("button", { name: "Next" }).click();
const field = (page, path) => page.locator(`[data-path="${path}"]`);
/** A picker without a field path, by its label's exact text. */
const picker = (page, label) => page.locator(`label.field:has(> span:text-is("${label}")) select`);
const problemAt = (page, path) => field(page, path).locator("xpath=ancestor::div[contains(@class,'field')][1]").locator(".field-problem");

/** Waits until the DaemonSet's pods exist on `count` nodes, and returns those nodes, sorted. */
function podNodes(name, count) {
  for (let i = 0; i < 150; i++) {
    const nodes = kubectl(["-n", project, "get", "pods", "-l", `app=${name}`, "-o", "jsonpath={.items[*].spec.nodeName}"])
      .split(" ")
      .filter(Boolean)
      .sort();
    if (nodes.length >= count) return nodes;
    execFileSync("sleep", ["0.2"]);
  }
  throw new Error(`the pods of ${name} did not appear`);
}

test("a DaemonSet made step by step runs exactly on the nodes the live count showed", async ({ page }) => {
  await openWizard(page);
  // Step 1: the name is checked while typing.
  await field(page, "metadata.name").fill("Wizard_Agent");
  await expect(problemAt(page, "metadata.name")).toContainText("lowercase letters");
  await field(page, "metadata.name").fill("wizard-agent");
  await expect(problemAt(page, "metadata.name")).toHaveCount(0);
  await expect(field(page, "metadata.namespace")).toHaveValue(project);
  await page.getByLabel("Alias").fill("Wizard agent");
  await next(page);

  // Step 2: a container; an invalid quantity is named at its field once the step is left.
  const container = "spec.template.spec.containers[0]";
  await field(page, `${container}.name`).fill("agent");
  await field(page, `${container}.image`).fill("registry.local/wizard-agent:1.0");
  await page.getByText("Advanced settings").click();
  await field(page, `${container}.resources.requests.cpu`).fill("100 millicores");
  await field(page, `${container}.resources.limits.memory`).fill("256Mi");
  await page.getByRole("button", { name: "Add port" }).click();
  await field(page, `${container}.ports[0].name`).fill("metrics");
  await field(page, `${container}.ports[0].containerPort`).fill("9100");
  // node-exporter holds 9100 on the host network of every node it runs on.
  await field(page, `${container}.ports[0].hostPort`).fill("9100");
  await next(page);
  await expect(page.locator(".stepper button", { hasText: "Pod settings" })).toHaveClass(/invalid/);
  await page.locator(".stepper button", { hasText: "Pod settings" }).click();
  await expect(problemAt(page, `${container}.resources.requests.cpu`)).toContainText("Not a quantity");
  await field(page, `${container}.resources.requests.cpu`).fill("100m");
  await expect(problemAt(page, `${container}.resources.requests.cpu`)).toHaveCount(0);
  await expect(page.locator(".stepper button", { hasText: "Pod settings" })).not.toHaveClass(/invalid/);
  await next(page);

  // Step 3: a hostPath volume, mounted read-only.
  await page.getByRole("button", { name: "Add volume" }).click();
  await field(page, "spec.template.spec.volumes[0].name").fill("varlog");
  await picker(page, "Type").selectOption({ label: "Host path" });
  await field(page, "spec.template.spec.volumes[0].hostPath.path").fill("/var/log");
  await picker(page, "Path type").selectOption({ label: "Directory" });
  await page.getByRole("button", { name: "Add mount" }).first().click();
  await field(page, `${container}.volumeMounts[0].name`).selectOption("varlog");
  await field(page, `${container}.volumeMounts[0].mountPath`).fill("/var/log");
  await page.getByLabel("Read-only", { exact: true }).check();
  await next(page);

  // Step 4: a label, which the selector follows.
  await page.getByRole("button", { name: "Add label" }).click();
  await field(page, "metadata.labels[0].key").fill("app");
  await field(page, "metadata.labels[0].value").fill("wizard-agent");
  await next(page);

  // Step 5: the node selector and the live list of nodes it matches.
  await page.getByRole("button", { name: "Add selector" }).click();
  await field(page, "spec.template.spec.nodeSelector[0].key").fill("disktype");
  await field(page, "spec.template.spec.nodeSelector[0].value").fill("ssd");
  const matching = page.locator(".matching-nodes li.matching .name");
  await expect(page.locator(".matching-nodes .count")).toContainText("0 of 6 nodes will run a pod");
  await expect(page.locator(".matching-nodes li", { hasText: "kwok-worker-1" }))
    .toContainText("Host port 9100/TCP is already held by monitoring/node-exporter-");
  await page.locator(".stepper button", { hasText: "Pod settings" }).click();
  await page.getByText("Advanced settings").click();
  await field(page, `${container}.ports[0].hostPort`).fill("19100");
  await page.locator(".stepper button", { hasText: "Node selection" }).click();
  await expect(page.locator(".matching-nodes .count")).toContainText("3 of 6 nodes will run a pod");
  const shown = (await matching.allTextContents()).sort();
  // kwok-gpu-1 has disktype=ssd but a taint the pods do not tolerate.
  await expect(page.locator(".matching-nodes li", { hasText: "kwok-gpu-1" })).toContainText("taint");
  await next(page);

  // Summary, then create: the user lands on the new DaemonSet's page.
  await expect(page.locator("dl.facts")).toContainText("registry.local/wizard-agent:1.0");
  await page.locator(".create-bar").getByRole("button", { name: "Create" }).click();
  await expect(page).toHaveURL(new RegExp(`/projects/${project}/daemonsets/wizard-agent$`));
  await expect(page.getByRole("heading", { name: /wizard-agent/ })).toBeVisible();

  expect(podNodes("wizard-agent", shown.length)).toEqual(shown);
  const created = JSON.parse(kubectl(["-n", project, "get", "daemonset", "wizard-agent", "-o", "json"]));
  const pod = created.spec.template.spec;
  expect(pod.containers[0].resources).toEqual({ requests: { cpu: "100m" }, limits: { memory: "256Mi" } });
  expect(pod.containers[0].ports[0]).toMatchObject({ name: "metrics", containerPort: 9100, hostPort: 19100, protocol: "TCP" });
  expect(pod.volumes[0]).toEqual({ name: "varlog", hostPath: { path: "/var/log", type: "Directory" } });
  expect(pod.containers[0].volumeMounts[0]).toMatchObject({ name: "varlog", mountPath: "/var/log", readOnly: true });
  expect(created.spec.selector.matchLabels).toEqual({ app: "wizard-agent" });
  expect(created.metadata.annotations["kubesphere.io/alias-name"]).toBe("Wizard agent");
  // Nothing is left behind for the next creation.
  await page.goto(`/daemonsets/new?project=${project}`);
  await expect(page.getByText("Your unfinished DaemonSet has been restored.")).toHaveCount(0);
});

for (const file of ["log-collector", "node-exporter", "cni-agent", "storage-agent"]) {
  test(`${file}: imported, passed through every step unchanged, created as written`, async ({ page }) => {
    const text = readFileSync(new URL(`${file}.yaml`, manifests), "utf8");
    await openWizard(page);
    await page.getByRole("button", { name: "Import YAML" }).click();
    const dialog = page.getByRole("dialog");
    if (file === "storage-agent") {
      // One of them through the file picker.
      await dialog.locator('input[type="file"]').setInputFiles(new URL(`${file}.yaml`, manifests).pathname);
      await expect(dialog.locator("textarea")).toHaveValue(text);
    } else {
      await dialog.locator("textarea").fill(text);
    }
    await dialog.getByRole("button", { name: "Import" }).click();
    await expect(dialog).toHaveCount(0);
    await expect(field(page, "metadata.name")).toHaveValue(file);
    // Form to code and back loses nothing either.
    await page.getByRole("button", { name: "YAML", exact: true }).click();
    await expect(page.locator(".code-mode .monaco-editor .view-lines")).toContainText(`name: ${file}`);
    await page.getByRole("button", { name: "Form", exact: true }).click();
    for (let step = 0; step < 5; step++) await next(page);
    await expect(page.locator(".stepper button.invalid")).toHaveCount(0);
    if (file === "cni-agent") {
      // One of them is created from code mode, after the walk through the form.
      await page.getByRole("button", { name: "YAML", exact: true }).click();
      await expect(page.locator(".code-mode .monaco-editor .view-lines")).toContainText(`name: ${file}`);
      await page.locator(".code-mode .create-bar").getByRole("button", { name: "Create" }).click();
    } else {
      await page.locator(".create-bar").getByRole("button", { name: "Create" }).click();
    }
    await expect(page).toHaveURL(new RegExp(`/projects/${project}/daemonsets/${file}$`));

    for (const document of readManifests(new URL(`${file}.yaml`, manifests).pathname)) {
      const resource = document.kind === "DaemonSet" ? "daemonset" : "persistentvolumeclaim";
      const stored = JSON.parse(kubectl(["-n", project, "get", resource, document.metadata.name, "-o", "json"]));
      expect(differences({ ...document, metadata: { ...document.metadata, namespace: project } }, stored)).toEqual([]);
    }
  });
}

test("code mode edits the same document, and YAML that cannot be read keeps the user in code mode", async ({ page }) => {
  await openWizard(page);
  await field(page, "metadata.name").fill("coded-agent");
  await page.getByRole("button", { name: "YAML", exact: true }).click();
  const editor = page.locator(".code-mode .monaco-editor");
  await expect(editor.locator(".view-lines")).toContainText("name: coded-agent");
  // Type an image into the empty `image: ''` line.
  await editor.locator(".view-line", { hasText: "image: ''" }).click();
  await page.keyboard.press("End");
  for (let i = 0; i < 2; i++) await page.keyboard.press("Backspace");
  await page.keyboard.type("registry.local/coded:2.0");
  await page.getByRole("button", { name: "Form", exact: true }).click();
  await expect(field(page, "metadata.name")).toHaveValue("coded-agent");
  await page.locator(".stepper button", { hasText: "Pod settings" }).click();
  await expect(field(page, "spec.template.spec.containers[0].image")).toHaveValue("registry.local/coded:2.0");

  // Broken YAML: the form refuses to show it, says where, and the text stays.
  await page.getByRole("button", { name: "YAML", exact: true }).click();
  await editor.locator(".view-line", { hasText: "name: coded-agent" }).click();
  await page.keyboard.press("End");
  // A list item inside a mapping.
  await page.keyboard.type("\n- stray item");
  await page.getByRole("button", { name: "Form", exact: true }).click();
  const problem = page.locator(".code-mode .form-problem");
  await expect(problem).toContainText("not valid YAML");
  await expect(problem).toContainText("Line");
  await expect(editor.locator(".view-lines")).toContainText("- stray item");
  // A reload keeps it too.
  await page.reload();
  await expect(page.getByText("Your unfinished DaemonSet has been restored.")).toBeVisible();
  await expect(editor.locator(".view-lines")).toContainText("- stray item");
});

test("bad imports and a taken name are explained where they happen, and nothing typed is lost", async ({ page }) => {
  kubectl(["apply", "-f", "-"], agentManifest(project, "taken-agent"));
  await openWizard(page);
  await field(page, "metadata.name").fill("taken-agent");
  await expect(problemAt(page, "metadata.name")).toContainText(`A DaemonSet named taken-agent already exists in project ${project}`);
  await expect(page.locator(".stepper button", { hasText: "Basic information" })).toHaveClass(/invalid/);

  await page.getByRole("button", { name: "Import YAML" }).click();
  const dialog = page.getByRole("dialog");
  const deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n";
  await dialog.locator("textarea").fill(deployment);
  await dialog.getByRole("button", { name: "Import" }).click();
  await expect(dialog.getByRole("alert")).toContainText("Document 1 is a Deployment");
  await expect(dialog.locator("textarea")).toHaveValue(deployment);
  await dialog.locator("textarea").fill("kind: DaemonSet\nmetadata: [broken\n");
  await dialog.getByRole("button", { name: "Import" }).click();
  await expect(dialog.getByRole("alert")).toContainText("not valid YAML");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  // The wizard still holds what was typed, across a reload.
  await page.reload();
  await expect(field(page, "metadata.name")).toHaveValue("taken-agent");

  // The apiserver's own refusal (the name was taken after the check) points at the name.
  await field(page, "metadata.name").fill("late-agent");
  await next(page);
  await field(page, "spec.template.spec.containers[0].name").fill("agent");
  await field(page, "spec.template.spec.containers[0].image").fill("registry.local/agent:1.0");
  await page.locator(".stepper button", { hasText: "Labels" }).click();
  await page.getByRole("button", { name: "Add label" }).click();
  await field(page, "metadata.labels[0].key").fill("app");
  await field(page, "metadata.labels[0].value").fill("late-agent");
  await page.locator(".stepper button", { hasText: "Summary" }).click();
  kubectl(["apply", "-f", "-"], agentManifest(project, "late-agent"));
  await page.locator(".create-bar").getByRole("button", { name: "Create" }).click();
  await expect(page.locator(".create-problem")).toContainText("refused");
  await page.locator(".create-problem").getByRole("button", { name: "Basic information" }).click();
  await expect(problemAt(page, "metadata.name")).toContainText("already exists");
});

test("a field the cluster refuses is named at that field, in its step", async ({ page }, testInfo) => {
  await openWizard(page);
  await field(page, "metadata.name").fill("host-agent");
  await next(page);
  const container = "spec.template.spec.containers[0]";
  await field(page, `${container}.name`).fill("agent");
  await field(page, `${container}.image`).fill("registry.local/agent:1.0");
  await page.getByText("Advanced settings").click();
  await page.getByRole("button", { name: "Add port" }).click();
  await field(page, `${container}.ports[0].containerPort`).fill("9100");
  await field(page, `${container}.ports[0].hostPort`).fill("19100");
  await page.locator(".stepper button", { hasText: "Labels" }).click();
  await page.getByRole("button", { name: "Add label" }).click();
  await field(page, "metadata.labels[0].key").fill("app");
  await field(page, "metadata.labels[0].value").fill("host-agent");
  // On the host's network a host port must be its container port, a rule only the apiserver
  // knows; its cause names the host port.
  await page.locator(".stepper button", { hasText: "Node selection" }).click();
  await page.getByLabel("Use the host's network").check();
  await page.locator(".stepper button", { hasText: "Summary" }).click();
  await page.locator(".create-bar").getByRole("button", { name: "Create" }).click();
  await expect(page.locator(".create-problem")).toContainText(`${container}.ports[0].hostPort`);
  await expect(page.locator(".stepper button", { hasText: "Pod settings" })).toHaveClass(/invalid/);
  await page.locator(".create-problem").getByRole("button", { name: "Pod settings" }).click();
  const problem = problemAt(page, `${container}.ports[0].hostPort`);
  await expect(problem).toBeVisible();
  await expect(problem).toContainText("The cluster says:");
  await expect(problem).toContainText("must match `containerPort`");
  await problem.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath("refused-field.png") });
});

test("the whole wizard reads in Simplified Chinese and creates the DaemonSet", async ({ page }) => {
  await openWizard(page);
  await page.getByRole("button", { name: "简体中文" }).click();
  await expect(page.getByRole("heading", { name: "创建守护进程集" })).toBeVisible();
  const titles = ["基本信息", "容器组设置", "存储设置", "标签", "节点选择", "概要"];
  for (const title of titles) await expect(page.locator(".stepper")).toContainText(title);
  await field(page, "metadata.name").fill("zh-agent");
  await page.locator(".step-actions").getByRole("button", { name: "下一步" }).click();
  await expect(page.locator(".step h2")).toHaveText("容器组设置");
  await field(page, "spec.template.spec.containers[0].name").fill("agent");
  await field(page, "spec.template.spec.containers[0].image").fill("registry.local/agent:1.0");
  await page.locator(".step-actions").getByRole("button", { name: "下一步" }).click();
  await expect(page.getByRole("button", { name: "添加存储卷" })).toBeVisible();
  await page.locator(".step-actions").getByRole("button", { name: "下一步" }).click();
  await page.getByRole("button", { name: "添加标签" }).click();
  await field(page, "metadata.labels[0].key").fill("app");
  await field(page, "metadata.labels[0].value").fill("zh-agent");
  await page.locator(".step-actions").getByRole("button", { name: "下一步" }).click();
  await expect(page.locator(".matching-nodes .count")).toContainText("个节点中有");
  await page.locator(".step-actions").getByRole("button", { name: "下一步" }).click();
  await page.locator(".create-bar").getByRole("button", { name: "创建" }).click();
  await expect(page).toHaveURL(new RegExp(`/projects/${project}/daemonsets/zh-agent$`));
  await page.getByRole("button", { name: "English" }).click();
});

test("alice creates a DaemonSet with a new claim in her project, warned that ReadWriteOnce cannot serve every node", async ({ page }) => {
  const name = uniqueProject("claimed").slice(0, 30);
  await signIn(page, "alice", "/projects/logging/daemonsets");
  try {
    await page.getByRole("link", { name: "Create", exact: true }).click();
    await expect(field(page, "metadata.namespace")).toHaveValue("logging");
    await field(page, "metadata.name").fill(name);
    await next(page);
    await field(page, "spec.template.spec.containers[0].name").fill("agent");
    await field(page, "spec.template.spec.containers[0].image").fill("registry.local/agent:1.0");
    await next(page);

    await page.getByRole("button", { name: "Add claim" }).click();
    await field(page, "claims[0]:metadata.name").fill(`${name}-cache`);
    await field(page, "claims[0]:spec.storageClassName").fill("fast-ssd");
    await field(page, "claims[0]:spec.resources.requests.storage").fill("1Gi");
    await page.getByRole("checkbox", { name: "ReadWriteOnce", exact: true }).check();
    await page.getByRole("button", { name: "Add volume" }).click();
    await field(page, "spec.template.spec.volumes[0].name").fill("cache");
    await picker(page, "Type").selectOption({ label: "PersistentVolumeClaim" });
    await field(page, "spec.template.spec.volumes[0].persistentVolumeClaim.claimName").fill(`${name}-cache`);
    await expect(problemAt(page, "claims[0]:spec.accessModes")).toContainText("Only one node can mount this claim");
    await page.getByRole("button", { name: "Add mount" }).first().click();
    await field(page, "spec.template.spec.containers[0].volumeMounts[0].name").selectOption("cache");
    await field(page, "spec.template.spec.containers[0].volumeMounts[0].mountPath").fill("/cache");
    await next(page);
    await page.getByRole("button", { name: "Add label" }).click();
    await field(page, "metadata.labels[0].key").fill("app");
    await field(page, "metadata.labels[0].value").fill(name);
    await next(page);
    // alice may not list nodes: the step says so instead of showing a wrong count.
    await expect(page.locator(".matching-nodes")).toContainText("cannot be listed");
    await next(page);
    await expect(page.locator("ul.warnings")).toContainText("Only one node can mount this claim");
    await page.locator(".create-bar").getByRole("button", { name: "Create" }).click();
    await expect(page).toHaveURL(new RegExp(`/projects/logging/daemonsets/${name}$`));

    const claim = JSON.parse(kubectl(["-n", "logging", "get", "pvc", `${name}-cache`, "-o", "json"]));
    expect(claim.spec).toMatchObject({ storageClassName: "fast-ssd", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } });
    const volumes = JSON.parse(kubectl(["-n", "logging", "get", "daemonset", name, "-o", "jsonpath={.spec.template.spec.volumes}"]));
    expect(volumes).toEqual([{ name: "cache", persistentVolumeClaim: { claimName: `${name}-cache` } }]);
  } finally {
    kubectl(["-n", "logging", "delete", "daemonset", name, "--ignore-not-found", "--wait=false"]);
    kubectl(["-n", "logging", "delete", "pvc", `${name}-cache`, "--ignore-not-found", "--wait=false"]);
  }
});
