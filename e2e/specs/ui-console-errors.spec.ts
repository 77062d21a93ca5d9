import { expect, type Page, test } from "@playwright/test";
import { cancelActiveRuns, scanLocalHost, startLongBatch } from "../support/dashboard";
import { e2e } from "../support/env";

/** Every console error and uncaught exception of the page, with where it happened. */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`${page.url()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`${page.url()}: uncaught ${error.message}`));
  return errors;
}

test.beforeEach(async ({ request }) => {
  await cancelActiveRuns(request);
  await scanLocalHost(request);
});
test.afterEach(async ({ request }) => cancelActiveRuns(request));

test("the sign-in page has no navigation and logs no error", async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto(`${e2e.team.baseUrl}/models`);
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fmodels$/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await expect(page.getByText("LMStrix", { exact: true })).toBeVisible();
  // Every link would lead back here: there is none, and no "Sign out".
  await expect(page.getByRole("navigation", { name: "Main" })).toHaveCount(0);
  await expect(page.getByRole("link").filter({ hasNotText: "Skip to content" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Sign out" })).toHaveCount(0);
  // A wrong token is refused on the page, not in the console.
  await page.getByLabel("Your name").fill("Ada");
  await page.getByLabel("Access token").fill("not-the-token");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "access token" })).toHaveText(
    "That is not this dashboard's access token.",
  );
  await page.waitForLoadState("networkidle");
  expect(errors).toEqual([]);
});

test("refused actions are said on the page and log no console error", async ({ page, request }) => {
  test.setTimeout(90_000);
  const errors = collectErrors(page);
  const host = await scanLocalHost(request);

  // The same "test all" twice: the second is refused, since the first is still under way.
  await page.goto("/models");
  for (const attempt of ["first", "second"]) {
    if (attempt === "second") await page.goto("/models");
    await page.getByRole("button", { name: "Test all untested models on local" }).click();
    const dialog = page.getByRole("dialog", { name: "Test all untested models on local" });
    await dialog.getByLabel(/Reset/).check();
    // lmstrix's passes start at 2,048 for every model: the run is cancelled before it learns much.
    await dialog.getByLabel("Search", { exact: true }).selectOption("lmstrix");
    await dialog.getByRole("button", { name: "Start test" }).click();
    if (attempt === "first") await expect(page).toHaveURL(/\/runs\/\d+$/);
    else await expect(dialog.getByRole("alert")).toContainText("(test all, started by web) is already");
  }
  await page.keyboard.press("Escape");
  await cancelActiveRuns(request);

  // A restore asked for just before a run starts: the server refuses it.
  await page.goto("/health");
  await page.getByRole("button", { name: "Take snapshot" }).click();
  await expect(page.getByRole("status").filter({ hasText: "taken" })).toBeVisible();
  await page.getByRole("button", { name: "Restore…" }).first().click();
  const confirm = page.getByRole("dialog", { name: "Restore this snapshot?" });
  const runId = await startLongBatch(request, host.id);
  await confirm.getByRole("button", { name: "Restore" }).click();
  await expect(confirm.getByRole("alert")).toContainText("Cannot restore while a run is running");
  await page.keyboard.press("Escape");

  // Send while the run holds the host.
  await page.goto("/playground");
  await page.getByLabel("Host").selectOption({ label: "local" });
  await page.getByLabel("Model").selectOption("qwen3-4b-instruct");
  await page.getByLabel("Prompt").fill("2+3=");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "busy" })).toContainText(
    `Host local is busy with run #${runId}`,
  );
  expect(errors).toEqual([]);
});
