import { expect, test } from "@playwright/test";
import { uniqueEmail } from "./support";

test.describe("signing in", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("an unauthenticated visit to the dashboard goes to sign-in", async ({ page }) => {
    await page.goto("/functions");
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Ffunctions/);
    await expect(page.getByRole("heading", { name: "Sign in to Dart Cloud" })).toBeVisible();
  });

  test("sign up, land on the dashboard, sign out, sign in again", async ({ page }) => {
    const email = uniqueEmail("signup");
    await page.goto("/sign-up");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("a long enough password");
    await page.getByRole("button", { name: "Create account" }).click();

    await expect(page).toHaveURL(/\/functions$/);
    await expect(page.getByRole("heading", { name: "Functions", exact: true })).toBeVisible();
    await expect(page.getByTestId("owner-email")).toHaveText(email);

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    await page.goto("/functions");
    await expect(page).toHaveURL(/\/sign-in/);

    await page.getByLabel("Email").fill(email.toUpperCase());
    await page.getByLabel("Password").fill("a long enough password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/functions$/);
    await expect(page.getByTestId("owner-email")).toHaveText(email);
  });

  test("a wrong password says so without revealing whether the account exists", async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(uniqueEmail("nobody"));
    await page.getByLabel("Password").fill("whatever password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("form").getByRole("alert")).toHaveText("Invalid email or password.");
  });
});
