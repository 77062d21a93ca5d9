import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, type Page, type TestInfo, test } from "@playwright/test";
import { cancelActiveRuns, scanLocalHost, startRun, waitForRunEnd } from "../support/dashboard";

/** Where the README's pictures live; refreshed only on request, so a test run leaves the work tree clean. */
const docsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../docs/screenshots");
const isUpdatingDocs = process.env.LMSTRIX_UPDATE_SCREENSHOTS === "1";

test.use({ viewport: { width: 1440, height: 900 } });

async function capture(page: Page, testInfo: TestInfo, name: string, docsFile?: string) {
  const body = await page.screenshot({ fullPage: true, animations: "disabled", caret: "hide" });
  await testInfo.attach(name, { body, contentType: "image/png" });
  if (docsFile && isUpdatingDocs) {
    mkdirSync(docsDir, { recursive: true });
    writeFileSync(path.join(docsDir, docsFile), body);
  }
}

test("a full-page screenshot of every page", async ({ page, request }, testInfo) => {
  test.setTimeout(90_000);
  await cancelActiveRuns(request);
  const host = await scanLocalHost(request);

  // A search with many probes: long enough to catch in progress, and it leaves a rich history behind.
  const model = "llama-3.1-8b-instruct";
  const runId = await startRun(request, {
    hostId: host.id,
    modelKeys: [model],
    options: { reset: true, strategy: "lmstrix" },
  });
  await page.goto(`/runs/${runId}`);
  await expect
    .poll(() => page.getByTestId("probe-log-entry").count(), { timeout: 20_000 })
    .toBeGreaterThanOrEqual(3);
  await expect(page.getByTestId("run-status")).toHaveText("Running");
  await expect(page.getByRole("progressbar")).toBeVisible();
  await capture(page, testInfo, "Run (in progress)", "run.png");
  expect(await waitForRunEnd(request, runId, 60_000)).toBe("completed");
  await expect(page.getByTestId("run-status")).toHaveText("Completed");
  await capture(page, testInfo, "Run (finished)");

  await page.goto("/models");
  await expect(page.getByRole("row", { name: new RegExp(model) }).getByText("✓ Tested")).toBeVisible();
  await capture(page, testInfo, "Models", "models.png");

  await page
    .getByRole("row", { name: new RegExp(model) })
    .getByRole("link", { name: model })
    .click();
  await expect(page.getByTestId("history-chart").locator(".recharts-scatter-symbol").first()).toBeVisible();
  await capture(page, testInfo, "Model");

  await page.goto("/runs");
  await expect(page.getByRole("link", { name: `Run #${runId}` })).toBeVisible();
  await capture(page, testInfo, "Runs");

  await page.goto("/hosts");
  await expect(page.getByRole("article", { name: "local" }).getByTestId("host-connection")).toContainText(
    "Reachable",
  );
  await capture(page, testInfo, "Hosts");

  await page.goto("/playground");
  await page.getByLabel("Host").selectOption({ label: "local" });
  await page.getByLabel("Model").selectOption("qwen3-4b-instruct");
  await page.getByLabel("Prompt").fill("2+3=");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByTestId("playground-stats")).toBeVisible();
  await capture(page, testInfo, "Playground");

  await page.goto("/health");
  await expect(page.getByTestId("health-status")).toHaveText("ok");
  await capture(page, testInfo, "Health");
});
