// YAML means what kubectl means (issue 11): a manifest kubectl applies without a word —
// octal modes, yes/on booleans — goes through import and every wizard step and is created as
// kubectl would create it; a value the cluster cannot take is refused at its field, in the
// user's words and language, never as "Something went wrong on the server". Edit YAML reads
// the same way and points at the refused field in the editor.
import { expect, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { createProject, deleteProject, kubectl, signIn, uniqueProject } from "./testbed.mjs";

const project = uniqueProject("e2e-yaml");

test.use({ viewport: { width: 1400, height: 1000 } });
test.beforeAll(() => createProject(project));
test.afterAll(() => deleteProject(project));
test.beforeEach(async ({ page }) => signIn(page, "admin"));

/** A node agent as countless manifests write it: YAML 1.1 scalars throughout. */
function agent(name, env = "") {
  return `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ${name}
spec:
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      hostNetwork: on
      containers:
      - name: agent
        image: registry.local/agent:1.0
        stdin: yes
        volumeMounts:
        - name: config
          mountPath: /etc/agent
          readOnly: yes
${env}      volumes:
      - name: config
        configMap:
          name: agent-config
          defaultMode: 0420
`;
}

async function importAndWalk(page, text) {
  await page.goto(`/daemonsets/new?project=${project}`);
  await page.getByRole("button", { name: "Import YAML" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.locator("textarea").fill(text);
  await dialog.getByRole("button", { name: "Import" }).click();
  await expect(dialog).toHaveCount(0);
  for (let step = 0; step < 5; step++) {
    await page.locator(".step-actions").getByRole("button", { name: "Next" }).click();
  }
  await expect(page.locator(".stepper button.invalid")).toHaveCount(0);
}

test("octal modes and yes/on booleans are created as kubectl creates them", async ({ page }) => {
  const text = agent("yaml11-agent");
  await importAndWalk(page, text);
  await page.locator(".create-bar").getByRole("button", { name: "Create" }).click();
  await expect(page).toHaveURL(new RegExp(`/projects/${project}/daemonsets/yaml11-agent$`));

  const stored = JSON.parse(kubectl(["-n", project, "get", "daemonset", "yaml11-agent", "-o", "json"]));
  const pod = stored.spec.template.spec;
  expect(pod.volumes[0].configMap.defaultMode).toBe(272);
  expect(pod.containers[0].volumeMounts[0].readOnly).toBe(true);
  expect(pod.containers[0].stdin).toBe(true);
  expect(pod.hostNetwork).toBe(true);
  // The same text through kubectl means the same pod template.
  const byKubectl = JSON.parse(kubectl(["create", "--dry-run=server", "-o", "json", "-n", project, "-f", "-"], text.replaceAll("yaml11-agent", "yaml11-twin")));
  expect(byKubectl.spec.template.spec.volumes).toEqual(pod.volumes);
  expect(byKubectl.spec.template.spec.containers[0].volumeMounts).toEqual(pod.containers[0].volumeMounts);
});

test("an env value the cluster cannot take is refused at its field, in both languages", async ({ page }) => {
  await importAndWalk(page, agent("env-agent", "        env:\n        - name: VERBOSE\n          value: true\n"));
  await page.locator(".create-bar").getByRole("button", { name: "Create" }).click();
  const problem = page.locator(".create-problem");
  await expect(problem).toContainText("spec.template.spec.containers[0].env[0].value");
  await expect(problem).toContainText("The cluster expects text here, not true or false.");
  await expect(problem).not.toContainText("Something went wrong");
  await expect(page.locator(".stepper button.invalid", { hasText: "Pod settings" })).toHaveCount(1);
  await page.getByRole("button", { name: "简体中文" }).click();
  await expect(problem).toContainText("集群要求此处为文本，而不是布尔值");
  await page.getByRole("button", { name: "English" }).click();
  // Nothing was created.
  expect(kubectl(["-n", project, "get", "daemonsets", "-o", "name"])).not.toContain("env-agent");
});

/**
 * A DaemonSet that runs on no node, so its status is written once and settles at once: edits
 * start from a resourceVersion nothing else moves on.
 */
function createIdle(name) {
  kubectl(["-n", project, "create", "-f", "-"], `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ${name}}
spec:
  revisionHistoryLimit: 3
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      nodeSelector: {no-such-node: "true"}
      containers: [{name: agent, image: registry.local/agent:1.0}]
`);
  for (let i = 0; i < 100; i++) {
    const [generation, observed] = kubectl(["-n", project, "get", "daemonset", name, "-o", "jsonpath={.metadata.generation} {.status.observedGeneration}"]).split(" ");
    if (generation === observed) return;
    execFileSync("sleep", ["0.2"]);
  }
  throw new Error(`DaemonSet ${name} did not settle`);
}

/** Opens Edit YAML, types `key: value` on a new line after `revisionHistoryLimit`, reviews. */
async function addLine(page, name, key, value) {
  await page.goto(`/projects/${project}/daemonsets/${name}`);
  await page.getByRole("button", { name: "Edit YAML" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit YAML" });
  await dialog.locator(".yaml-editor-frame .view-line", { hasText: "revisionHistoryLimit" }).first().click();
  await page.keyboard.press("End");
  await page.keyboard.press("Enter");
  await page.keyboard.type(key);
  await page.keyboard.press("Escape");
  await page.keyboard.type(`: ${value}`);
  await dialog.getByRole("button", { name: "Review changes" }).click();
  return dialog;
}

test("edit YAML reads a hex number as kubectl does and applies it", async ({ page }) => {
  createIdle("hex-agent");
  const dialog = await addLine(page, "hex-agent", "minReadySeconds", "0x1e");
  await expect(dialog.locator(".check-passed")).toBeVisible();
  await dialog.getByRole("button", { name: "Apply", exact: true }).click();
  await expect(dialog).toHaveCount(0);
  expect(kubectl(["-n", project, "get", "daemonset", "hex-agent", "-o", "jsonpath={.spec.minReadySeconds}"])).toBe("30");
});

test("edit YAML refuses a quoted number at its field and shows it in the editor", async ({ page }) => {
  createIdle("quoted-agent");
  const dialog = await addLine(page, "quoted-agent", "minReadySeconds", "'5");
  const alert = dialog.getByRole("alert");
  await expect(alert).toContainText("spec.minReadySeconds");
  await expect(alert).toContainText("The cluster expects a whole number here, not text.");
  await expect(alert).not.toContainText("Something went wrong");
  await expect(dialog.getByRole("button", { name: "Apply", exact: true })).toBeDisabled();
  await alert.getByRole("button", { name: "Show in the editor" }).click();
  await expect(dialog.locator(".yaml-editor-frame")).toBeVisible();
  await expect(dialog.locator(".monaco-editor .view-lines")).toContainText("minReadySeconds: '5'");
  expect(kubectl(["-n", project, "get", "daemonset", "quoted-agent", "-o", "jsonpath={.spec.minReadySeconds}"])).toBe("");
});
