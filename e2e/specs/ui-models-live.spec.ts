import { expect, type Locator, type Page, test } from "@playwright/test";
import { cancelActiveRuns, scanLocalHost, startRun, waitForRunEnd } from "../support/dashboard";
import { openE2eDatabase } from "../support/database";
import { e2e } from "../support/env";
import { finishScript, startCli } from "../support/stack";

/** Several probes (lmstrix's step-up from its threshold): "Testing…" lasts long enough to be seen. */
const SEARCHED_MODEL = "llama-3.1-8b-instruct";
const QUICK_MODEL = "qwen3-4b-instruct";

/** The row shows the Loadable limit the run wrote to the database. */
async function expectLimitShown(row: Locator, modelKey: string) {
  const db = await openE2eDatabase();
  let limit: number | null;
  try {
    const model = await db.prisma.model.findFirstOrThrow({
      where: { modelKey, host: { name: "local" } },
      select: { loadableLimit: true },
    });
    limit = model.loadableLimit;
  } finally {
    await db.close();
  }
  expect(limit, `${modelKey}'s Loadable limit`).not.toBeNull();
  await expect(
    row.getByRole("cell", { name: (limit ?? 0).toLocaleString("en-US"), exact: true }).first(),
  ).toBeVisible();
}

/** Counts the page's reads of the whole models table (`model.list`, alone or in a batch). */
function countTableReads(page: Page): () => number {
  let reads = 0;
  page.on("request", (request) => {
    if (new URL(request.url()).pathname.includes("model.list")) reads += 1;
  });
  return () => reads;
}

async function openModelsPage(page: Page) {
  await page.goto("/models");
  await page.getByLabel("Host", { exact: true }).selectOption({ label: "local" });
  await expect(page.getByRole("row", { name: new RegExp(QUICK_MODEL) })).toBeVisible();
}

test.describe("the Models page while runs go", () => {
  test.beforeEach(async ({ request }) => {
    await cancelActiveRuns(request);
    await scanLocalHost(request);
  });

  test("a run started after the page opened shows live in its row, without reading the table again", async ({
    page,
    request,
  }) => {
    const tableReads = countTableReads(page);
    await openModelsPage(page);
    const row = page.getByRole("row", { name: new RegExp(SEARCHED_MODEL) });
    const readsBeforeTheRun = tableReads();

    const host = await scanLocalHost(request);
    const runId = await startRun(request, {
      hostId: host.id,
      modelKeys: [SEARCHED_MODEL],
      options: { reset: true, strategy: "lmstrix", cooldownMs: 0 },
    });
    await expect(row.getByText("Testing…")).toBeVisible({ timeout: 20_000 });
    expect(await waitForRunEnd(request, runId, 60_000)).toBe("completed");
    await expect(row.getByText("✓ Tested")).toBeVisible();
    await expectLimitShown(row, SEARCHED_MODEL);
    // What changed came with the run's events: the table itself was not read again (nor polled).
    expect(tableReads()).toBe(readsBeforeTheRun);
  });

  test("a run started from the command line shows live too", async ({ page }) => {
    // The command line compiles itself at start (tsx): on a busy machine that alone takes many seconds.
    test.setTimeout(180_000);
    const tableReads = countTableReads(page);
    await openModelsPage(page);
    // lmstrix's step-up on the searched model, as above: "fit" learns from the runs before it and ends in two
    // loads, too quickly for a transient "Testing…" to be seen between two of the page's checks.
    const row = page.getByRole("row", { name: new RegExp(SEARCHED_MODEL) });
    const readsBeforeTheRun = tableReads();

    const cli = startCli(
      ["test", SEARCHED_MODEL, "--host", "local", "--reset", "--strategy", "lmstrix", "--cooldown", "0"],
      {
        LMSTRIX_DATA_DIR: e2e.dataDir,
        LMSTUDIO_URL: e2e.emulatorUrl,
      },
    );
    try {
      await expect(row.getByText("Testing…")).toBeVisible({ timeout: 90_000 });
      await expect(row.getByText("✓ Tested")).toBeVisible({ timeout: 60_000 });
    } finally {
      const result = await finishScript(cli, "lmstrix test", 90_000);
      expect(result.code, result.output).toBe(0);
    }
    await expectLimitShown(row, SEARCHED_MODEL);
    expect(tableReads()).toBe(readsBeforeTheRun);
  });
});
