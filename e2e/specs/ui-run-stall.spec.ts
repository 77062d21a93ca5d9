import { defaultFleetInput, type FleetInput } from "@lmstrix/lmstudio-emulator";
import { expect, type Page, test } from "@playwright/test";
import { GiB, llm } from "../stress/fleet";
import { localHost, runRow, startRun, waitForRunEnd, withStack } from "../stress/support";
import { runCli, startCli, waitFor } from "../support/stack";
import { ok, trpcPost } from "../support/trpc";

/** The demo fleet's model whose loads above 65,536 sit at 99.9 % for good. */
const HANGING = "nvidia_llama-3.1-8b-ultralong-512k-instruct";
/** Long enough to watch "no progress for N s" count, short enough for a quick spec. */
const STALL_MS = 8_000;
/**
 * At the demo's time scale 0.01: "slow-to-load" loads for ~20 s, reporting progress every ~2 s (it never
 * stalls); "after" is quick.
 */
const FLEET: FleetInput = {
  memoryBytes: 16 * GiB,
  models: [
    defaultFleetInput.models.find((model) => model.modelKey === HANGING)!,
    llm("stall", "slow-to-load", { maxContextLength: 32_768, loadSecondsPerGiB: 2_000 }),
    llm("stall", "after"),
  ],
};
const MODELS = FLEET.models.map((model) => model.modelKey);

function stack<T>(use: (servers: { baseUrl: string; dataDir: string; emulatorUrl: string }) => Promise<T>) {
  return withStack(
    {
      name: "stall",
      emulator: { fleet: FLEET, timeScale: 0.01, seed: 21 },
      webEnv: { LMSTRIX_LOAD_STALL_MS: String(STALL_MS) },
    },
    ({ web, dataDir, emulator }) => use({ baseUrl: web.baseUrl, dataDir, emulatorUrl: emulator.url }),
  );
}

async function scannedHost(baseUrl: string) {
  const host = await localHost(baseUrl);
  ok(await trpcPost(baseUrl, "host.scan", { id: host.id }, { headers: {} }), "host.scan");
  return host;
}

/** The model's row in "Results per model". */
const resultRow = (page: Page, modelKey: string) =>
  page.getByTestId("model-result").filter({ hasText: modelKey });

test.describe("a hung load does not freeze a batch", () => {
  test.setTimeout(240_000);

  test("the Run page counts the stall, the load is given up as stalled, Skip this model moves the batch on", async ({
    page,
  }) => {
    const consoleErrors: string[] = [];
    page.on("console", (message) => {
      // (A missing favicon is not this spec's subject.)
      if (message.type() !== "error" || message.location().url.endsWith("/favicon.ico")) return;
      consoleErrors.push(`${message.text()} (${message.location().url})`);
    });
    await stack(async ({ baseUrl }) => {
      const host = await scannedHost(baseUrl);
      const runId = await startRun(baseUrl, {
        hostId: host.id,
        modelKeys: MODELS,
        options: { cooldownMs: 0, reset: true },
      });
      await page.goto(`${baseUrl}/runs/${runId}`);
      await expect(page.getByTestId("current-model")).toHaveText(HANGING);
      // The time left is unknown until a model has finished (and this host has no earlier runs).
      await expect(page.getByTestId("time-left")).toHaveText("unknown");

      // A load above 65,536 sits still: the page counts it, client-side, and names when it will be given up.
      const quiet = page.getByTestId("load-quiet");
      await expect(quiet).toHaveText(/^· no progress for [5-8] s \(given up as stalled at 8 s\)$/, {
        timeout: 60_000,
      });
      await expect(page.getByTestId("probe-clock")).toContainText(/loading for \d+(\.\d)? s/);
      // The bar shows where it stopped (the host's last report, 99.9 %).
      await expect(page.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "99");

      // Then the stalled verdict, in the probe log: the size failed, once.
      const stalled = page.getByTestId("probe-log-entry").filter({ hasText: "STALLED" }).first();
      await expect(stalled).toContainText("fail", { timeout: 30_000 });
      await expect(stalled).toContainText("No load progress for 8 s (stuck at 99%); given up as stalled");
      await expect(resultRow(page, HANGING)).toContainText("✓ Tested", { timeout: 90_000 });

      // The next model loads slowly; skip it.
      await expect(page.getByTestId("current-model")).toHaveText("slow-to-load", { timeout: 30_000 });
      await expect(page.getByTestId("time-left")).not.toHaveText("unknown");
      await page.getByRole("button", { name: "Skip slow-to-load" }).click();
      await expect(resultRow(page, "slow-to-load")).toContainText("⏭ Skipped", { timeout: 15_000 });
      await expect(resultRow(page, "slow-to-load")).toContainText("skipped by web");

      // The batch goes on with the last model and completes.
      await expect(page.getByTestId("run-status")).toHaveText("Completed", { timeout: 60_000 });
      await expect(resultRow(page, "after")).toContainText("✓ Tested");
      await expect(page.getByText("Skip asked by web")).toBeVisible();
      expect((await waitForRunEnd(baseUrl, runId)).status).toBe("completed");
    });
    expect(consoleErrors).toEqual([]);
  });

  test("the dashboard skips a model in a run the CLI drives, and the CLI skips one in a run the dashboard drives", async ({
    page,
  }) => {
    await stack(async ({ baseUrl, dataDir, emulatorUrl }) => {
      const env = { LMSTRIX_DATA_DIR: dataDir, LMSTUDIO_URL: emulatorUrl, LMSTRIX_HEARTBEAT_MS: "300" };
      await scannedHost(baseUrl);
      const cli = startCli(["test", "slow-to-load", "after", "--cooldown", "0", "--reset"], env);
      await waitFor("the CLI's run", () => runRow(baseUrl, 1).catch(() => undefined));
      await page.goto(`${baseUrl}/runs/1`);
      await expect(page.getByText("started by cli")).toBeVisible({ timeout: 30_000 });
      await expect(page.getByTestId("current-model")).toHaveText("slow-to-load", { timeout: 30_000 });
      await page.getByRole("button", { name: "Skip slow-to-load" }).click();
      const driven = await cli.exited;
      expect(driven.code, driven.output).toBe(0);
      expect(driven.stdout).toMatch(/■ slow-to-load: ⏭ skipped by web/);
      expect(driven.stdout).toMatch(/│ after +│ ✓ Completed +│/);
      await expect(resultRow(page, "slow-to-load")).toContainText("⏭ Skipped");

      const host = await localHost(baseUrl);
      const runId = await startRun(baseUrl, {
        hostId: host.id,
        modelKeys: ["slow-to-load", "after"],
        options: { cooldownMs: 0, reset: true },
      });
      await page.goto(`${baseUrl}/runs/${runId}`);
      await expect(page.getByTestId("current-model")).toHaveText("slow-to-load", { timeout: 30_000 });
      await expect(page.getByRole("progressbar")).toHaveAttribute("aria-valuenow", /^[1-9]\d*$/);
      const skip = await runCli(["cancel", String(runId), "--model", "slow-to-load"], env);
      expect(skip.code, skip.stderr).toBe(0);
      expect(skip.stdout).toContain(`slow-to-load skipped in run #${runId}`);
      await expect(resultRow(page, "slow-to-load")).toContainText("skipped by cli:");
      await expect(page.getByTestId("run-status")).toHaveText("Completed", { timeout: 60_000 });
      await expect(resultRow(page, "after")).toContainText("✓ Tested");
    });
  });
});
