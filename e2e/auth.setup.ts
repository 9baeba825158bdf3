import { expect, test as setup } from "@playwright/test";
import { ownerEmail, ownerPassword } from "./support";

// Signs the main test owner up once and stores the session for the other tests (dub's pattern).
setup("sign up the test owner", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(ownerEmail);
  await page.getByLabel("Password").fill(ownerPassword);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Functions", exact: true })).toBeVisible();
  await page.context().storageState({ path: "e2e/.auth/owner.json" });
});
