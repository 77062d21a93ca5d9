import { expect, test } from "@playwright/test";
import { cancelActiveRuns, runIdFrom, scanLocalHost, waitForRunEnd } from "../support/dashboard";
import { openE2eDatabase } from "../support/database";

test.beforeEach(async ({ request }) => {
  await cancelActiveRuns(request);
  await scanLocalHost(request);
});

test("testing all models of a host can be cancelled, and no model stays at Testing…", async ({
  page,
  request,
}) => {
  await page.goto("/models");
  await page.getByRole("button", { name: "Test all untested models on local" }).click();
  const dialog = page.getByRole("dialog", { name: "Test all untested models on local" });
  // Earlier specs may have tested some models already; reset makes the batch take all of them again.
  await dialog.getByLabel(/Reset/).check();
  await dialog.getByRole("button", { name: "Start test" }).click();

  await expect(page).toHaveURL(/\/runs\/\d+$/);
  const runId = runIdFrom(page);
  await expect(page.getByTestId("run-status")).toHaveText("Running");
  // lmstrix's batch probes every model at 2,048 first, with a pause between models: the run is mid-way here.
  await expect(page.getByTestId("probe-log-entry").first()).toBeVisible();

  await page.getByRole("button", { name: `Cancel run #${runId}` }).click();
  const confirm = page.getByRole("dialog", { name: `Cancel run #${runId}?` });
  await expect(confirm.getByRole("button", { name: "Keep running" })).toBeFocused();
  await confirm.getByRole("button", { name: "Cancel run" }).click();

  await expect(page.getByTestId("run-status")).toHaveText("Cancelled");
  await expect(page.getByTestId("run-outcome")).toHaveText("The run was cancelled by a user.");
  await expect(page.getByRole("button", { name: `Cancel run #${runId}` })).toBeHidden();
  expect(await waitForRunEnd(request, runId)).toBe("cancelled");
  await expect(page.getByTestId("model-result").getByText("Testing…")).toHaveCount(0);
  // The last events (the stopped probe, the run's end) reach the page even though they follow the cancel.
  const db = await openE2eDatabase();
  try {
    const probes = await db.prisma.probe.count({ where: { runId } });
    await expect(page.getByTestId("probe-log-entry")).toHaveCount(probes);
  } finally {
    await db.close();
  }

  // The engine puts every model it touched back to a settled status.
  await expect
    .poll(async () => {
      const db = await openE2eDatabase();
      try {
        return await db.prisma.model.count({ where: { testStatus: "testing" } });
      } finally {
        await db.close();
      }
    })
    .toBe(0);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Models" }).click();
  await expect(page.getByRole("row", { name: /qwen3-4b-instruct/ })).toBeVisible();
  await expect(page.getByRole("table").getByText("Testing…")).toHaveCount(0);
  await page.getByLabel("Status").selectOption({ label: "Testing…" });
  await expect(page.getByText("No model matches these filters.")).toBeVisible();

  // The Runs page lists it in the history, with no cancel button left.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Runs" }).click();
  const history = page.getByRole("table", { name: "Finished runs, newest first" });
  const row = history.getByRole("row", { name: new RegExp(`Run #${runId}\\b`) });
  await expect(row.getByText("Cancelled")).toBeVisible();
  await expect(row.getByRole("button", { name: /Cancel/ })).toHaveCount(0);
});
