import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";
import { cancelActiveRuns, scanLocalHost } from "../support/dashboard";
import { e2e } from "../support/env";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/**
 * Several probes with a pause between models longer than the Runs page's 3 s refresh: the run is still going
 * when the page next reads the list, however fast the probes themselves are.
 */
const MODELS = ["gemma-3-12b-it", "qwen3-4b-instruct"];

/** `pnpm lmstrix test …` against the e2e server's database and emulator; resolves with the exit code. */
function runCli(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(repoRoot, "node_modules/.bin/tsx"), ["apps/cli/src/main.ts", ...args], {
      cwd: repoRoot,
      env: { ...process.env, LMSTRIX_DATA_DIR: e2e.dataDir, LMSTUDIO_URL: e2e.emulatorUrl },
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("close", (code) => resolve({ code, output }));
  });
}

test("a run started from the command line shows live in the dashboard", async ({ page, request }) => {
  test.setTimeout(90_000);
  await cancelActiveRuns(request);
  await scanLocalHost(request);
  await page.goto("/runs");
  const cli = runCli(["test", ...MODELS, "--host", "local", "--reset", "--cooldown", "5"]);

  // The Runs page picks the new run up by itself; its row says who started it.
  const row = page.getByRole("row", { name: /cli/ }).filter({ hasText: /Running|Queued/ });
  await expect(row.first()).toBeVisible({ timeout: 20_000 });
  // What it tests, with the models it names in the cell's title.
  const scope = row.first().getByRole("cell", { name: `${MODELS.length} models` });
  await expect(scope).toHaveAttribute("title", MODELS.join(", "));
  await row.first().getByRole("link").first().click();
  await expect(page).toHaveURL(/\/runs\/\d+$/);
  await expect(page.getByText("started by cli")).toBeVisible();
  // Live: probes arrive while the command line is still working.
  await expect(page.getByRole("heading", { name: /Probe log \([1-9]\d*\)/ })).toBeVisible();
  await expect(page.getByTestId("run-status")).toHaveText("Completed", { timeout: 60_000 });
  for (const model of MODELS)
    await expect(page.getByRole("row", { name: new RegExp(model) }).first()).toBeVisible();

  const { code, output } = await cli;
  expect(code, output).toBe(0);
  expect(output).toContain("Final Results");
});
