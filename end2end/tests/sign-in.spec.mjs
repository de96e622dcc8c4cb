// Signing in and what each user may see, in a real browser against the real apiserver.
// admin: every project. alice: the project "logging" only.
import { expect, test } from "@playwright/test";
import { consoleAccounts, signIn, testbedEnv } from "./testbed.mjs";

test("an unsigned visitor is sent to sign in and comes back to the page they asked for", async ({ page }) => {
  await page.goto("/projects/logging/daemonsets");
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await page.locator('input[name="username"]').fill("admin");
  await page.locator('input[name="password"]').fill(consoleAccounts().admin);
  await page.getByRole("button", { name: "Sign in" }).last().click();
  await expect(page).toHaveURL(/\/projects\/logging\/daemonsets$/);
  await expect(page.locator("tr.row", { hasText: "fluent-bit" })).toBeVisible();
});

test("the admin sees every project and the all-projects view", async ({ page }) => {
  await signIn(page, "admin");
  await expect(page).toHaveURL(/\/daemonsets$/);
  const options = page.locator(".project-picker option");
  await expect(options.first()).toHaveText("All projects");
  for (const project of ["logging", "monitoring", "networking", "storage"]) {
    await expect(page.locator(".project-picker option", { hasText: project })).toHaveCount(1);
  }
  await expect(page.locator("tr.row", { hasText: "node-exporter" })).toBeVisible();
  await page.locator(".project-picker select").selectOption("monitoring");
  await expect(page).toHaveURL(/\/projects\/monitoring\/daemonsets$/);
  await expect(page.locator("tr.row")).toHaveCount(1);
});

test("alice sees only her project, and another project's list says plainly that it is forbidden", async ({ page }) => {
  await signIn(page, "alice");
  // Other tests may grant alice more projects; she never gets the all-projects view.
  await expect(page).toHaveURL(/\/projects\/[^/]+\/daemonsets$/);
  const options = await page.locator(".project-picker option").allTextContents();
  expect(options).toContain("logging");
  for (const other of ["All projects", "monitoring", "networking", "storage", "kube-system"]) {
    expect(options).not.toContain(other);
  }
  await page.goto("/projects/logging/daemonsets");
  await expect(page.locator("tr.row", { hasText: "fluent-bit" })).toBeVisible();

  await page.goto("/projects/monitoring/daemonsets");
  await expect(page.getByRole("alert")).toContainText("You are not allowed to see this");
  await expect(page.locator("tr.row", { hasText: "node-exporter" })).toHaveCount(0);
});

test("a wrong password is explained and what was typed stays, in both languages", async ({ page }) => {
  await page.goto("/sign-in");
  await page.locator('input[name="username"]').fill("admin");
  await page.locator('input[name="password"]').fill("not-the-password");
  await page.locator('button[type="submit"]').click();
  await expect(page.getByRole("alert")).toContainText("The user name or password is wrong");
  await expect(page.locator('input[name="username"]')).toHaveValue("admin");
  await page.getByRole("button", { name: "简体中文" }).click();
  await expect(page.getByRole("alert")).toContainText("用户名或密码错误");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("登录");
});

test("a token signs in as its Kubernetes user; a bad one is refused with advice", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByRole("tab", { name: "Kubernetes token" }).click();
  await page.locator('textarea[name="token"]').fill("definitely-not-a-token");
  await page.locator('button[type="submit"]').click();
  await expect(page.getByRole("alert")).toContainText("The cluster did not accept this token");

  await page.locator('textarea[name="token"]').fill(testbedEnv().USER_TOKEN);
  await page.locator('button[type="submit"]').click();
  await expect(page.locator(".user-menu .user")).toHaveText("alice");
  await expect(page).toHaveURL(/\/projects\/[^/]+\/daemonsets$/);
});

test("page scripts can read neither the session nor the token", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByRole("tab", { name: "Kubernetes token" }).click();
  const token = testbedEnv().ADMIN_TOKEN;
  await page.locator('textarea[name="token"]').fill(token);
  await page.locator('button[type="submit"]').click();
  await expect(page.locator(".user-menu .user")).toHaveText("admin");
  const visible = await page.evaluate(() => document.cookie + JSON.stringify(localStorage) + JSON.stringify(sessionStorage));
  expect(visible).not.toContain(token);
  expect(visible).not.toContain("console_session");
  const cookies = await page.context().cookies();
  // Served with Secure cookies, so the name carries the __Host- prefix: no sibling domain or
  // plain-HTTP page can plant or overwrite it.
  const session = cookies.find((cookie) => cookie.name === "__Host-console_session");
  expect(session.httpOnly).toBe(true);
  expect(session.secure).toBe(true);
  expect(session.path).toBe("/");
  expect(session.sameSite).toBe("Strict");
  expect(session.value).not.toContain(token);
});

test("signing out ends the session for every page", async ({ page }) => {
  await signIn(page, "alice");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/projects/logging/daemonsets");
  await expect(page).toHaveURL(/\/sign-in\?next=/);
});
