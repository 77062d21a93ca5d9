import { expect, type Page, test } from "@playwright/test";
import { cancelActiveRuns, runIdFrom, scanLocalHost, startRun, waitForRunEnd } from "../support/dashboard";
import { openE2eDatabase } from "../support/database";

/** Quick to test: loads in full, three probes. */
const QUICK_MODEL = "qwen3-4b-instruct";
/** Stops below its declared size, so the search takes several probes: long enough to watch. */
const SEARCHED_MODEL = "gemma-3-12b-it";
const count = (value: number) => value.toLocaleString("en-US");

async function probesInDatabase(runId: number) {
  const db = await openE2eDatabase();
  try {
    return await db.prisma.probe.count({ where: { runId } });
  } finally {
    await db.close();
  }
}

async function modelInDatabase(modelKey: string) {
  const db = await openE2eDatabase();
  try {
    const model = await db.prisma.model.findFirstOrThrow({
      where: { modelKey, host: { name: "local" } },
      select: { id: true, loadableLimit: true, declaredContext: true, testStatus: true },
    });
    const probes = await db.prisma.probe.count({ where: { modelId: model.id } });
    return { ...model, probes };
  } finally {
    await db.close();
  }
}

async function expectRunCompleted(page: Page) {
  await expect(page.getByTestId("run-status")).toHaveText("Completed", { timeout: 45_000 });
  await expect(page.getByTestId("run-outcome")).toHaveText("The run completed.");
}

test.describe("following a run", () => {
  test.beforeEach(async ({ request }) => {
    await cancelActiveRuns(request);
    await scanLocalHost(request);
  });

  test("testing one model shows its progress live and ends with its limit everywhere", async ({ page }) => {
    await page.goto("/models");
    await page.getByLabel("Search").fill(SEARCHED_MODEL);
    await page.getByRole("checkbox", { name: `Select ${SEARCHED_MODEL}` }).check();
    await expect(page.getByText("1 selected")).toBeVisible();
    await page.getByRole("button", { name: "Test selected" }).click();

    const dialog = page.getByRole("dialog", { name: `Test ${SEARCHED_MODEL}` });
    await expect(dialog.getByLabel("Threshold (tokens)")).toHaveValue("31,744");
    await dialog.getByLabel(/Reset/).check();
    await dialog.getByRole("button", { name: "Start test" }).click();

    await expect(page).toHaveURL(/\/runs\/\d+$/);
    const runId = runIdFrom(page);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(`Run #${runId}`);

    // Live: the load progress bar moves and probes enter the log while the run goes on.
    const progress = page.getByRole("progressbar");
    await expect(progress).toHaveAttribute("aria-valuenow", /^[1-9]\d*$/);
    await expect(page.getByTestId("current-model")).toHaveText(SEARCHED_MODEL);
    await expect(page.getByTestId("probe-log-entry").first()).toBeVisible();

    await expectRunCompleted(page);
    await expect(progress).toBeHidden();
    const model = await modelInDatabase(SEARCHED_MODEL);
    expect(model.testStatus).toBe("completed");
    expect(model.loadableLimit).not.toBeNull();
    const limit = count(model.loadableLimit!);
    await expect(page.getByTestId("probe-log-entry")).toHaveCount(await probesInDatabase(runId));
    const result = page.getByTestId("model-result");
    await expect(result).toHaveCount(1);
    await expect(result).toContainText(SEARCHED_MODEL);
    await expect(result).toContainText("✓ Tested");
    const cells = result.getByRole("cell");
    await expect(cells.nth(2)).toHaveText(limit);
    await expect(cells.nth(3)).toHaveText(count(model.declaredContext));
    await expect(cells.nth(4)).toHaveText(
      `${Math.round((model.loadableLimit! / model.declaredContext) * 100)}%`,
    );

    // The Models table shows the new limit.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Models" }).click();
    const row = page.getByRole("row", { name: new RegExp(SEARCHED_MODEL) });
    await expect(row.getByText("✓ Tested")).toBeVisible();
    await expect(row.getByRole("cell", { name: limit, exact: true }).first()).toBeVisible();

    // The Model page charts every probe and lists them.
    await row.getByRole("link", { name: SEARCHED_MODEL }).click();
    await expect(page).toHaveURL(new RegExp(`/models/${model.id}$`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(SEARCHED_MODEL);
    const chart = page.getByTestId("history-chart");
    await expect(chart.locator("svg.recharts-surface").first()).toBeVisible();
    await expect(chart.locator(".recharts-scatter-symbol").first()).toBeVisible();
    expect(await chart.locator(".recharts-scatter-symbol").count()).toBeGreaterThanOrEqual(model.probes);
    await expect(page.getByTestId("probe-row")).toHaveCount(Math.min(model.probes, 50));
    await expect(page.getByRole("link", { name: `Run #${runId}` })).toBeVisible();
  });

  test("two tabs follow the same run and both see its end", async ({ context, request }) => {
    const host = await scanLocalHost(request);
    const runId = await startRun(request, {
      hostId: host.id,
      modelKeys: [QUICK_MODEL],
      options: { reset: true },
    });
    const first = await context.newPage();
    const second = await context.newPage();
    await Promise.all([first.goto(`/runs/${runId}`), second.goto(`/runs/${runId}`)]);
    await Promise.all([expectRunCompleted(first), expectRunCompleted(second)]);
    const probes = await probesInDatabase(runId);
    expect(probes).toBeGreaterThan(0);
    for (const page of [first, second]) {
      await expect(page.getByTestId("probe-log-entry")).toHaveCount(probes);
      await expect(page.getByTestId("model-result")).toContainText("✓ Tested");
    }
  });

  test("a reload in the middle of a run resumes the stream without losing events", async ({
    page,
    request,
  }) => {
    const host = await scanLocalHost(request);
    // One probe per model and a pause between the models: the reload lands mid-run, between the probes.
    const runId = await startRun(request, {
      hostId: host.id,
      modelKeys: [QUICK_MODEL, "llama-3.1-8b-instruct"],
      options: { fixedContext: 2_048, cooldownMs: 2_500, reset: true },
    });
    await page.goto(`/runs/${runId}`);
    await expect(page.getByTestId("probe-log-entry")).toHaveCount(1);
    await expect(page.getByTestId("run-status")).toHaveText("Running");
    // Between the two models the run says it is pausing, not that it is stuck between probes.
    await expect(page.locator("#load-progress-label")).toHaveText("Pausing 2.5 s between models");
    await page.reload();
    await expect(page.getByTestId("probe-log-entry")).toHaveCount(1);
    await expectRunCompleted(page);
    expect(await waitForRunEnd(request, runId)).toBe("completed");
    const probes = await probesInDatabase(runId);
    expect(probes).toBe(2);
    await expect(page.getByTestId("probe-log-entry")).toHaveCount(probes);
    await expect(page.getByRole("heading", { name: `Probe log (${probes})` })).toBeVisible();
    await expect(page.getByTestId("model-result")).toHaveCount(2);
  });
});
