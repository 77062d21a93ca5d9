import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";
import {
  cancelActiveRuns,
  scanLocalHost,
  startLongBatch,
  startRun,
  waitForRunEnd,
} from "../support/dashboard";

const registryFixture = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../packages/db/src/testing/fixtures/lmstrix-fleet.json",
);

test.describe("data safety in the dashboard", () => {
  test.beforeEach(async ({ request }) => {
    await cancelActiveRuns(request);
  });

  test("a run leaves a before-run snapshot; a manual snapshot can be restored in place", async ({
    page,
    request,
  }) => {
    const host = await scanLocalHost(request);
    const runId = await startRun(request, {
      hostId: host.id,
      modelKeys: ["qwen3-4b-instruct"],
      options: { fixedContext: 2048, cooldownMs: 0 },
    });
    expect(await waitForRunEnd(request, runId)).toBe("completed");

    await page.goto("/health");
    await expect(page.getByTestId("health-status")).toHaveText(/ok|warning/);
    const snapshots = page.getByRole("table", { name: /Snapshots/ });
    await expect(snapshots.getByRole("row", { name: /before-run/ }).first()).toBeVisible();

    await page.getByRole("button", { name: "Take snapshot" }).click();
    await expect(page.getByRole("status").filter({ hasText: "taken" })).toBeVisible();
    const manual = snapshots.getByRole("row", { name: /manual/ }).first();
    await expect(manual).toBeVisible();
    await manual.getByRole("button", { name: "Restore…" }).click();
    await page
      .getByRole("dialog", { name: "Restore this snapshot?" })
      .getByRole("button", { name: "Restore" })
      .click();
    await expect(page.getByRole("status").filter({ hasText: "Restored" })).toBeVisible();
    await expect(snapshots.getByRole("row", { name: /before-restore/ }).first()).toBeVisible();
    // The server keeps working on the restored data.
    await page.goto("/models");
    await expect(page.getByRole("link", { name: "qwen3-4b-instruct" }).first()).toBeVisible();
  });

  test("Restore is disabled while a run is running, and says which run", async ({ page, request }) => {
    const host = await scanLocalHost(request);
    await page.goto("/health");
    await page.getByRole("button", { name: "Take snapshot" }).click();
    const restore = page.getByRole("button", { name: "Restore…" });
    await expect(restore.first()).toBeEnabled();

    const runId = await startLongBatch(request, host.id);
    const reason = page.getByTestId("restore-blocked");
    await expect(reason).toHaveText(
      `Restore is disabled while run #${runId} is running: cancel it or wait for it to end.`,
    );
    await expect(reason.getByRole("link", { name: `run #${runId}` })).toHaveAttribute(
      "href",
      `/runs/${runId}`,
    );
    for (const button of await restore.all()) await expect(button).toBeDisabled();

    await cancelActiveRuns(request);
    await expect(reason).toBeHidden();
    await expect(restore.first()).toBeEnabled();
  });

  test("an lmstrix.json is checked with a dry run, and the registry downloads", async ({ page }) => {
    await page.goto("/health");
    await page.getByLabel("Registry file (lmstrix.json or lmsm.json)").setInputFiles(registryFixture);
    await page.getByRole("button", { name: "Check file" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Would change:" })).toContainText(/\d+ new/);

    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Models (CSV)" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe("lmstrix-models.csv");

    // The measured limits, as the API gives them to other tools.
    const limitsDownload = page.waitForEvent("download");
    await page.getByRole("link", { name: "Measured limits (JSON)" }).click();
    const limits = await limitsDownload;
    expect(limits.suggestedFilename()).toBe("lmstrix-limits.json");
    const saved = JSON.parse(readFileSync((await limits.path())!, "utf8"));
    const api = await (await page.request.get("/api/limits")).json();
    expect({ ...saved, generatedAt: null }).toEqual({ ...api, generatedAt: null });
    expect(Object.keys(saved.hosts).length).toBeGreaterThan(0);
  });
});
