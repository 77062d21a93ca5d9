import { type Emulator, type FleetInput, startEmulator } from "@lmstrix/lmstudio-emulator";
import { expect, test } from "@playwright/test";
import { type HostRow, startRun, trpcMutation, trpcQuery, waitForRunEnd } from "../support/dashboard";
import { type RestartableEmulator, startRestartableEmulator } from "../support/stack";

/**
 * What changed, through the dashboard, with two emulators as two hosts: one is upgraded from LM Studio 0.3.20
 * to 0.4.21 on a machine with less memory, the other stays as it was. The upgraded host's result is marked
 * stale (with why), "Re-test stale" measures it again in one run, and the Changes page lists the regression.
 */
const UPGRADED = "changes-upgraded";
const STEADY = "changes-steady";
const GiB = 1024 ** 3;

function fleet(modelKey: string, memoryBytes: number, lmStudioVersion: string): FleetInput {
  return {
    memoryBytes,
    lmStudioVersion,
    models: [
      {
        modelKey,
        type: "llm",
        format: "gguf",
        path: `test/${modelKey}/${modelKey}-Q4_K_M.gguf`,
        sizeBytes: GiB,
        maxContextLength: 131_072,
        kvBytesPerToken: 64 * 1024,
      },
    ],
  };
}

let upgraded: RestartableEmulator;
let steady: Emulator;
const hosts: HostRow[] = [];

interface ModelListRow {
  id: number;
  modelKey: string;
  loadableLimit: number | null;
  host: { id: number };
}

async function limitOf(request: Parameters<typeof trpcQuery>[0], modelKey: string): Promise<number> {
  const rows = await trpcQuery<ModelListRow[]>(request, "model.list");
  return rows.find((row) => row.modelKey === modelKey)!.loadableLimit!;
}

test.beforeAll(async ({ request }) => {
  upgraded = await startRestartableEmulator({
    fleet: fleet("upgraded-8b", 8 * GiB, "0.3.20"),
    timeScale: 0.01,
    seed: 7,
  });
  steady = await startEmulator({ fleet: fleet("steady-8b", 8 * GiB, "0.3.20"), timeScale: 0.01, seed: 7 });
  for (const [name, url] of [
    [UPGRADED, upgraded.url],
    [STEADY, steady.url],
  ] as const) {
    const host = await trpcMutation<HostRow>(request, "host.create", { name, url });
    await trpcMutation(request, "host.scan", { id: host.id });
    hosts.push(host);
  }
});

test.afterAll(async ({ request }) => {
  for (const host of hosts) await trpcMutation(request, "host.delete", { id: host.id });
  await upgraded?.stop();
  await steady?.close();
});

test("an upgrade marks the result stale, Re-test stale measures it again, Changes lists the regression", async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  const [upgradedHost, steadyHost] = hosts;
  for (const [host, modelKey] of [
    [upgradedHost!, "upgraded-8b"],
    [steadyHost!, "steady-8b"],
  ] as const) {
    const runId = await startRun(request, {
      hostId: host.id,
      modelKeys: [modelKey],
      options: { cooldownMs: 0 },
    });
    expect(await waitForRunEnd(request, runId, 90_000)).toBe("completed");
  }
  const before = await limitOf(request, "upgraded-8b");

  await page.goto("/models");
  const upgradedRow = page.getByRole("row").filter({ hasText: "upgraded-8b" });
  const steadyRow = page.getByRole("row").filter({ hasText: "steady-8b" });
  await expect(upgradedRow.getByText("✓ Tested")).toBeVisible();
  await expect(upgradedRow.getByTestId("stale-badge")).toHaveCount(0);

  // LM Studio 0.4.21 on the first host, with half the memory; a scan reads the new version.
  await upgraded.stop();
  await upgraded.start({ fleet: fleet("upgraded-8b", 4 * GiB, "0.4.21") });
  // (The server's connection to the LM Studio that went away may fail the first call; a second one reconnects.)
  await expect(async () => {
    await trpcMutation(request, "host.scan", { id: upgradedHost!.id });
  }).toPass({ timeout: 20_000 });

  await page.reload();
  await expect(upgradedRow.getByTestId("stale-badge")).toContainText("Stale");
  await expect(upgradedRow.getByTestId("stale-badge")).toContainText("LM Studio 0.3.20 → 0.4.21");
  await expect(steadyRow.getByText("✓ Tested")).toBeVisible();
  await expect(steadyRow.getByTestId("stale-badge")).toHaveCount(0);

  await page.getByRole("button", { name: "Re-test stale (1)" }).click();
  const status = page.getByRole("status").filter({ hasText: `on ${UPGRADED}: 1 stale model` });
  await expect(status).toBeVisible();
  const runLink = status.getByRole("link", { name: /Run #\d+/ });
  const retestRun = Number((await runLink.textContent())!.replace(/\D/g, ""));
  expect(await waitForRunEnd(request, retestRun, 120_000)).toBe("completed");
  // The live table takes the new result: measured under 0.4.21, no longer stale.
  await expect(upgradedRow.getByTestId("stale-badge")).toHaveCount(0);
  const after = await limitOf(request, "upgraded-8b");
  expect(after).toBeLessThan(before);

  await page.getByRole("button", { name: "Re-test stale" }).click();
  await expect(page.getByRole("status")).toContainText("Nothing is stale");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Changes" }).click();
  await expect(page).toHaveURL(/\/changes$/);
  const count = (value: number) => value.toLocaleString("en-US");
  const description = `${count(before)} → ${count(after)} after LM Studio 0.3.20 → 0.4.21`;
  const changeRow = page.getByRole("row").filter({ hasText: "upgraded-8b" });
  await expect(changeRow).toContainText(description);
  await expect(changeRow).toContainText("Regression");
  await expect(changeRow).toContainText(UPGRADED);
  await expect(page.getByRole("row").filter({ hasText: "steady-8b" })).toHaveCount(0);

  await page.getByLabel("Direction").selectOption("improvement");
  await expect(page).toHaveURL(/direction=improvement/);
  await expect(page.getByText("No limit changes")).toBeVisible();
  await page.getByLabel("Direction").selectOption("all");
  await page.getByLabel("Host").selectOption({ label: STEADY });
  await expect(page.getByText("No limit changes")).toBeVisible();
  await page.getByLabel("Host").selectOption({ label: UPGRADED });
  await expect(changeRow).toContainText(description);
});
