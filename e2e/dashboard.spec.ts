import { mkdirSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { makeTarGz } from "../test/fixtures/node-function";
import { dropFile, nodeFunctionArchive, writeTemp } from "./fixtures";
import { uniqueEmail } from "./support";

// One function, deployed, redeployed and rolled back through the dashboard; the later tests use it.
test.describe.configure({ mode: "serial" });

const name = `e2e-${randomUUID().slice(0, 8)}`;
let functionUrl = "";

const timeline = (page: Page) => page.getByRole("list", { name: "Deployment history" });
const version = (page: Page, n: number) => page.getByTestId(`deployment-v${n}`);

/** The function's own id, from its page URL. */
const functionId = () => functionUrl.split("/").pop()!;

/** Whether the server has a version pinned, from the REST history (not from the page). */
async function pinnedOnServer(page: Page, n: number): Promise<boolean | undefined> {
  const response = await page.request.get(`/api/functions/${functionId()}/deployments`);
  expect(response.status()).toBe(200);
  const body = (await response.json()) as { deployments: { version: number; pinned: boolean }[] };
  return body.deployments.find((d) => d.version === n)?.pinned;
}

async function invoke(page: Page) {
  await page.getByRole("button", { name: "Send request" }).click();
  return page.getByTestId("invoke-result");
}

/** The page must never scroll sideways, at any width. */
async function expectNoHorizontalOverflow(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test("create a function by dropping an archive, redeploy, roll back through the dialog", async ({ page }) => {
  await page.goto("/functions");
  // The session comes from the setup project (its random email is another module load's).
  const email = (await page.getByTestId("owner-email").textContent())!.trim();
  expect(email).toMatch(/@example\.com$/);

  // Create: name it, drop v1 on the dialog's drop zone, deploy.
  await page.getByRole("button", { name: "New function" }).first().click();
  const dialog = page.getByRole("dialog", { name: "New function" });
  await dialog.getByLabel("Name").fill(name);
  await dropFile(page, dialog.getByTestId("drop-zone"), "hello.tar.gz", await nodeFunctionArchive("1", name));
  await expect(dialog.getByTestId("chosen-file")).toContainText("hello.tar.gz");
  mkdirSync("e2e/artifacts", { recursive: true });
  await page.screenshot({ path: "e2e/artifacts/new-function-dialog-1280.png" });
  await dialog.getByRole("button", { name: "Create and deploy" }).click();

  // The function page streams the build until v1 is active.
  await expect(page).toHaveURL(/\/functions\/[0-9a-f-]{36}\?deployed=1$/);
  functionUrl = new URL(page.url()).pathname;
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByTestId("build-progress")).toContainText("v1 is active", { timeout: 90_000 });
  await expect(page.getByRole("log", { name: "Build log of v1" }).first()).not.toBeEmpty();
  await expect(page.getByTestId("active-version")).toContainText("v1");
  await expect(version(page, 1).getByTestId("active-marker")).toBeVisible();

  // Redeploy: drop v2 on the function page's drop zone.
  await dropFile(page, page.getByTestId("drop-zone"), "hello-v2.tar.gz", await nodeFunctionArchive("2", name));
  await expect(page.getByTestId("build-progress")).toContainText("v2 is active", { timeout: 90_000 });
  await expect(version(page, 2).getByTestId("active-marker")).toBeVisible();
  await expect(version(page, 1)).toBeVisible();
  await expect(version(page, 1).getByTestId("active-marker")).toHaveCount(0);
  await expect(page.getByTestId("active-version")).toContainText("v2");
  await expect(await invoke(page)).toContainText("Served by v2");

  // Roll back to v1 through the confirmation dialog.
  await version(page, 1).getByRole("button", { name: "Roll back to v1" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Roll back to v1?" });
  await expect(confirm).toContainText("instead of v2");
  await confirm.getByRole("button", { name: "Roll back to v1" }).click();
  await expect(confirm).toBeHidden();
  await expect(version(page, 1).getByTestId("active-marker")).toBeVisible();
  await expect(version(page, 2).getByTestId("active-marker")).toHaveCount(0);
  await expect(version(page, 2).getByRole("button", { name: "Activate v2" })).toBeVisible();
  await expect(page.getByTestId("active-version")).toContainText("v1");
  await expect(page.getByRole("status").filter({ hasText: "back to v1" })).toBeVisible();

  // The test invoke panel answers from v1, and says so.
  const result = await invoke(page);
  await expect(result).toContainText("Served by v1");
  await expect(result.getByLabel("Response body")).toContainText('"version": "1"');
  await expect(result).toContainText("200");

  // The audit trail shows the rollback, by whom.
  const activity = page.getByRole("list", { name: "Activity" });
  await expect(activity).toContainText("back to v1", { timeout: 15_000 });
  await expect(activity).toContainText(email);

  // The list shows the function with v1 active.
  await page.goto("/functions");
  const row = page.getByRole("listitem").filter({ has: page.getByRole("link", { name }) });
  await expect(row).toContainText("v1");
  await expect(row).toContainText("Active");
});

test("storage card shows archive and image bytes; keeping a version pins it on the server", async ({ page }) => {
  test.skip(!functionUrl, "needs the function from the first test");
  await page.goto(functionUrl);
  const storage = page.getByRole("region", { name: "Storage" });
  await expect(storage.getByRole("list", { name: "Storage per version" })).toBeVisible();

  // The card's figures are the server's: non-zero archives (S3) and images (Docker) for two versions.
  const usage = (await (await page.request.get(`/api/functions/${functionId()}/storage`)).json()) as {
    archiveBytes: number;
    imageBytes: number;
    unavailable: string[];
  };
  expect(usage.unavailable).toEqual([]);
  expect(usage.archiveBytes).toBeGreaterThan(0);
  expect(usage.imageBytes).toBeGreaterThan(0);
  const bytes = /^\d+(\.\d+)? (B|KB|MB|GB)$/;
  for (const figure of ["storage-archive-bytes", "storage-image-bytes", "storage-total-bytes"]) {
    await expect(storage.getByTestId(figure)).toHaveText(bytes);
    await expect(storage.getByTestId(figure)).not.toHaveText("0 B");
  }
  await expect(storage).toContainText("Retention keeps the last 10 built versions");
  await expect(storage.getByTestId("storage-reclaimable")).toContainText("would free nothing");
  await expect(storage.getByRole("list", { name: "Storage per version" }).getByRole("listitem")).toHaveCount(2);

  // Keep v1: the badge appears at once, and the server has it pinned.
  const v1 = version(page, 1);
  await expect(v1.getByTestId("kept-badge")).toHaveCount(0);
  await v1.getByRole("button", { name: "Keep v1" }).click();
  await expect(v1.getByTestId("kept-badge")).toHaveText("Kept");
  await expect(v1.getByRole("button", { name: "Stop keeping v1" })).toBeVisible();
  expect(await pinnedOnServer(page, 1)).toBe(true);
  await expect(storage.getByRole("listitem", { name: /^v1: .*kept/ })).toBeVisible();
  await expect(page.getByRole("list", { name: "Activity" })).toContainText("Pinned v1");
  // Built but not kept: v2 offers the toggle too.
  await expect(version(page, 2).getByRole("button", { name: "Keep v2" })).toBeVisible();

  // Stop keeping it, from the keyboard: the badge goes, the server agrees, focus stays put.
  const stop = v1.getByRole("button", { name: "Stop keeping v1" });
  await stop.focus();
  await page.keyboard.press("Enter");
  await expect(v1.getByTestId("kept-badge")).toHaveCount(0);
  await expect(v1.getByRole("button", { name: "Keep v1" })).toBeFocused();
  expect(await pinnedOnServer(page, 1)).toBe(false);
  await page.reload();
  await expect(version(page, 1).getByRole("button", { name: "Keep v1" })).toBeVisible();
  await expect(version(page, 1).getByTestId("kept-badge")).toHaveCount(0);
});

test("a bad archive shows the server's message and adds nothing to the timeline", async ({ page }) => {
  test.skip(!functionUrl, "needs the function from the first test");
  await page.goto(functionUrl);
  await expect(version(page, 2)).toBeVisible();
  const before = await timeline(page).getByRole("listitem").count();

  // Refused by the server: not gzip at all.
  await dropFile(page, page.getByTestId("drop-zone"), "broken.tar.gz", Buffer.from("this is not an archive\n".repeat(20)));
  await expect(page.locator("#deploy").getByRole("alert")).toContainText("not gzip-compressed");

  // Refused by the browser before sending: the wrong kind of file.
  await dropFile(page, page.getByTestId("drop-zone"), "function.zip", Buffer.from("PK\u0003\u0004"), "application/zip");
  await expect(page.locator("#deploy").getByRole("alert")).toContainText("function.zip is not a .tar.gz archive");

  // Refused by the server: a node archive without package.json, via "click to choose".
  const noPackage = writeTemp("readme-only.tar.gz", await makeTarGz({ "README.md": "hello\n" }));
  await page.getByLabel("Choose a .tar.gz archive").setInputFiles(noPackage);
  await expect(page.locator("#deploy").getByRole("alert")).toContainText("package.json");

  // Nothing was added, also after the next refresh of the history.
  await page.reload();
  await expect(version(page, 2)).toBeVisible();
  await expect(timeline(page).getByRole("listitem")).toHaveCount(before);
  await expect(version(page, 3)).toHaveCount(0);
});

test("a failed build says so where the user looks, keeps its log, and cannot be activated", async ({ page }) => {
  const failing = `${name}-broken`;
  await page.goto("/functions");
  await page.getByRole("button", { name: "New function" }).first().click();
  const dialog = page.getByRole("dialog", { name: "New function" });
  await dialog.getByLabel("Name").fill(failing);
  await dialog.getByLabel("Runtime").selectOption("dockerfile");
  const archive = await makeTarGz({ Dockerfile: `FROM ${process.env.NODE_BASE_IMAGE ?? "dartcloud/node-base:local"}\nRUN echo building for a moment, ${failing} && sleep 3\nRUN echo about to fail && exit 3\n` });
  await dropFile(page, dialog.getByTestId("drop-zone"), "broken-build.tar.gz", archive);
  await dialog.getByRole("button", { name: "Create and deploy" }).click();

  // The log streams while it builds (the unique echo defeats the layer cache, so it takes a moment).
  const progress = page.getByTestId("build-progress");
  await expect(progress).toContainText("Building v1", { timeout: 30_000 });
  await expect(progress.getByRole("log")).toContainText("building for a moment", { timeout: 30_000 });
  await page.screenshot({ path: "e2e/artifacts/building-1280.png" });
  await expect(progress).toContainText("The build of v1 failed", { timeout: 90_000 });
  await expect(progress.getByRole("alert")).not.toBeEmpty();
  await expect(progress.getByRole("log")).toContainText("about to fail");
  await expect(page.getByTestId("active-version")).toContainText("None yet");

  const v1 = version(page, 1);
  await expect(v1.getByText("Failed")).toBeVisible();
  await expect(v1.getByRole("button", { name: /Roll back|Activate/ })).toHaveCount(0);
  await v1.getByRole("button", { name: "Open build log of v1" }).click();
  const log = page.getByRole("dialog", { name: "Build log · v1" });
  await expect(log.getByRole("log")).toContainText("about to fail");
  await page.keyboard.press("Escape");
  await expect(log).toBeHidden();
  await expect(page.getByRole("button", { name: "Send request" })).toBeDisabled();
});

test("API tokens: created and shown once, used, revoked", async ({ page, request }) => {
  await page.goto("/settings");
  await page.getByLabel("Token name").fill("e2e-ci");
  await page.getByRole("button", { name: "Create token" }).click();
  const shown = page.getByTestId("new-token");
  await expect(shown).toContainText("not shown again");
  const token = (await shown.locator("code").textContent())!.trim();
  expect(token).toMatch(/^dc_/);
  await expect(shown.getByRole("button", { name: "Copy token" })).toBeVisible();
  const tokens = page.getByRole("list", { name: "API tokens" });
  await expect(tokens).toContainText("e2e-ci");
  await expect(tokens).toContainText("never used");
  await page.screenshot({ path: "e2e/artifacts/settings-1280.png", fullPage: true });

  const auth = { Authorization: `Bearer ${token}` };
  expect((await request.get("/api/functions", { headers: auth })).status()).toBe(200);

  await tokens.getByRole("button", { name: "Revoke token e2e-ci" }).click();
  const confirm = page.getByRole("alertdialog", { name: /Revoke “e2e-ci”/ });
  await confirm.getByRole("button", { name: "Revoke token" }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByRole("list", { name: "API tokens" }).getByText("e2e-ci")).toHaveCount(0);
  await expect.poll(async () => (await request.get("/api/functions", { headers: auth })).status(), { timeout: 10_000 }).toBe(401);
});

test("per-function settings: limits and public invocation", async ({ page, playwright, baseURL }) => {
  test.skip(!functionUrl, "needs the function from the first test");
  await page.goto(functionUrl);
  const settings = page.locator("#settings");
  await settings.getByLabel("Memory (MB)").fill("384");
  await settings.getByLabel("Public invocation").check();
  await settings.getByRole("button", { name: "Save settings" }).click();
  await expect(settings.getByRole("status")).toContainText("Saved");
  await expect(page.getByRole("main").locator("header").getByText("Public", { exact: true })).toBeVisible();
  await expect(settings.getByLabel("Memory (MB)")).toHaveValue("384");

  // Anyone may now call it, without a session or token.
  const anonymous = await playwright.request.newContext({ baseURL });
  const response = await anonymous.get(`/api${functionUrl}/invoke`);
  expect(response.status()).toBe(200);
  expect(response.headers()["x-function-version"]).toBe("1");
  await anonymous.dispose();

  await settings.getByLabel("Memory (MB)").fill("10");
  await settings.getByRole("button", { name: "Save settings" }).click();
  await expect(settings.getByRole("alert")).toContainText("memoryMb must be at least 32");
});

test("screenshots of the function page, wide and narrow", async ({ page }) => {
  test.skip(!functionUrl, "needs the function from the first test");
  mkdirSync("e2e/artifacts", { recursive: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(functionUrl);
  await invoke(page);
  await expect(page.getByTestId("served-by")).toBeVisible();
  await expect(page.getByRole("img", { name: /Invocations per version/ })).toBeVisible();
  const storage = page.getByRole("region", { name: "Storage" });
  await expect(storage.getByRole("list", { name: "Storage per version" })).toBeVisible();
  await page.screenshot({ path: "e2e/artifacts/function-page-1280.png", fullPage: true });
  await storage.screenshot({ path: "e2e/artifacts/storage-card-1280.png" });
  await expectNoHorizontalOverflow(page);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(functionUrl);
  await expect(version(page, 1)).toBeVisible();
  await expectNoHorizontalOverflow(page);
  await page.screenshot({ path: "e2e/artifacts/function-page-390.png", fullPage: true });
  await page.screenshot({ path: "e2e/artifacts/function-page-390-top.png" });
  const narrowStorage = page.getByRole("region", { name: "Storage" });
  await expect(narrowStorage.getByRole("list", { name: "Storage per version" })).toBeVisible();
  await narrowStorage.scrollIntoViewIfNeeded();
  await narrowStorage.screenshot({ path: "e2e/artifacts/storage-card-390.png" });
  await expectNoHorizontalOverflow(page);
  await version(page, 2).scrollIntoViewIfNeeded();
  await page.screenshot({ path: "e2e/artifacts/function-page-390-timeline.png" });
  await version(page, 1).getByRole("button", { name: "Build log of v1" }).click();
  await expect(page.getByRole("dialog", { name: "Build log · v1" })).toBeVisible();
  await page.screenshot({ path: "e2e/artifacts/build-log-dialog-390.png" });
  await page.keyboard.press("Escape");

  await page.goto("/functions");
  await expectNoHorizontalOverflow(page);
  await page.screenshot({ path: "e2e/artifacts/functions-390.png", fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: "e2e/artifacts/functions-1280.png", fullPage: true });
});

test("retention with one version kept: a new deploy prunes the old version, never the kept one", async ({ page }) => {
  test.skip(!functionUrl, "needs the function from the first test");
  await page.goto(functionUrl);
  await version(page, 1).getByRole("button", { name: "Keep v1" }).click();
  await expect(version(page, 1).getByTestId("kept-badge")).toBeVisible();

  const settings = page.locator("#settings");
  await settings.getByLabel("Versions kept").fill("1");
  await settings.getByRole("button", { name: "Save settings" }).click();
  await expect(settings.getByRole("status")).toContainText("Saved");
  const storage = page.getByRole("region", { name: "Storage" });
  await expect(storage).toContainText("Retention keeps the last 1 built version,");

  await dropFile(page, page.getByTestId("drop-zone"), "hello-v3.tar.gz", await nodeFunctionArchive("3", name));
  await expect(page.getByTestId("build-progress")).toContainText("v3 is active", { timeout: 90_000 });

  // v2 was neither live nor kept: pruned, with the reason, and nothing to click. v1 stays, kept.
  const v2 = version(page, 2);
  await expect(v2.getByText("Pruned", { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(v2).toContainText("Retention keeps the last 1 built version");
  await expect(v2.getByRole("button")).toHaveCount(0);
  await expect(version(page, 1).getByTestId("kept-badge")).toBeVisible();
  await expect(version(page, 1).getByRole("button", { name: "Roll back to v1" })).toBeVisible();
  expect(await pinnedOnServer(page, 1)).toBe(true);
  // The card follows: v2 is no longer waiting to be pruned (gone, or leftovers if Docker was busy).
  await expect(storage.getByRole("list", { name: "Storage per version" }).getByRole("listitem", { name: /^v2:(?!.*leftovers)/ })).toHaveCount(0);
  await expect(storage.getByRole("listitem", { name: /^v1: .*kept/ })).toBeVisible();
  await expectNoHorizontalOverflow(page);
  await page.locator("#timeline").screenshot({ path: "e2e/artifacts/timeline-kept-and-pruned-1280.png" });
});

test.describe("another owner", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("cannot open the function page: not found", async ({ page }) => {
    test.skip(!functionUrl, "needs the function from the first test");
    await page.goto("/sign-up");
    await page.getByLabel("Email").fill(uniqueEmail("other"));
    await page.getByLabel("Password").fill("a long enough password");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByRole("heading", { name: "Functions" })).toBeVisible();
    await expect(page.getByText("Nothing deployed yet")).toBeVisible();

    const response = await page.goto(functionUrl);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Function not found" })).toBeVisible();
    await expect(page.getByText(name)).toHaveCount(0);
    const api = await page.request.get(`/api${functionUrl}`);
    expect(api.status()).toBe(404);
  });
});
