import type { FitResult, Matrix } from "@lmstrix/core";
import { type Emulator, type FleetInput, startEmulator } from "@lmstrix/lmstudio-emulator";
import { GiB, llm } from "@lmstrix/lmstudio-emulator/testing";
import { expect, test } from "@playwright/test";
import { type HostRow, startRun, trpcMutation, trpcQuery, waitForRunEnd } from "../support/dashboard";
import { openE2eDatabase } from "../support/database";

/**
 * Two machines as two hosts, each an emulator of this spec's own: mx-alpha (two quantisations on the first
 * host, one on the second) and mx-beta on both. mx-alpha is tested on the first, mx-beta on the second.
 */
const FIRST = "matrix-a";
const SECOND = "matrix-b";
const FIRST_FLEET: FleetInput = {
  memoryBytes: 8 * GiB,
  models: [
    llm("mx-alpha", { maxContextLength: 8_192 }),
    llm("mx-alpha@q8_0", { maxContextLength: 8_192, quantization: { name: "Q8_0", bits: 8 } }),
    llm("mx-beta", { maxContextLength: 32_768 }),
  ],
};
const SECOND_FLEET: FleetInput = {
  memoryBytes: 8 * GiB,
  models: [llm("mx-alpha", { maxContextLength: 8_192 }), llm("mx-beta", { maxContextLength: 32_768 })],
};
const count = (value: number) => value.toLocaleString("en-US");

const emulators: Emulator[] = [];
const hosts: Record<string, HostRow> = {};

test.beforeAll(async ({ request }) => {
  test.setTimeout(120_000);
  for (const [name, fleet] of [
    [FIRST, FIRST_FLEET],
    [SECOND, SECOND_FLEET],
  ] as const) {
    const emulator = await startEmulator({ fleet, timeScale: 0.01, seed: 7 });
    emulators.push(emulator);
    hosts[name] = await trpcMutation<HostRow>(request, "host.create", { name, url: emulator.url });
    await trpcMutation(request, "host.scan", { id: hosts[name].id });
  }
  for (const [name, modelKey] of [
    [FIRST, "mx-alpha"],
    [SECOND, "mx-beta"],
  ] as const) {
    const runId = await startRun(request, { hostId: hosts[name]!.id, modelKeys: [modelKey] });
    expect(await waitForRunEnd(request, runId, 90_000)).toBe("completed");
  }
  // The first host runs another LM Studio now than the one mx-alpha was measured under.
  const db = await openE2eDatabase();
  try {
    await db.prisma.model.updateMany({
      where: { modelKey: "mx-alpha", hostId: hosts[FIRST]!.id },
      data: { measuredLmStudioVersion: "0.3.20" },
    });
    await db.prisma.host.update({ where: { id: hosts[FIRST]!.id }, data: { lmStudioVersion: "0.4.21" } });
  } finally {
    await db.close();
  }
});

test.afterAll(async ({ request }) => {
  const listed = await trpcQuery<HostRow[]>(request, "host.list");
  for (const host of listed.filter((candidate) => candidate.name === FIRST || candidate.name === SECOND)) {
    await trpcMutation(request, "host.delete", { id: host.id });
  }
  await Promise.all(emulators.map((emulator) => emulator.close()));
});

/** The stored model of `modelKey` on `hostName`, as the API lists it. */
async function stored(request: Parameters<typeof trpcQuery>[0], hostName: string, modelKey: string) {
  const rows = await trpcQuery<{ id: number; modelKey: string; loadableLimit: number | null }[]>(
    request,
    "model.list",
    { hostId: hosts[hostName]!.id },
  );
  return rows.find((row) => row.modelKey === modelKey)!;
}

test("the matrix shows each host's measured limits, untested and stale cells, and links to the model", async ({
  page,
  request,
}) => {
  const alpha = await stored(request, FIRST, "mx-alpha");
  const beta = await stored(request, SECOND, "mx-beta");
  expect(alpha.loadableLimit).not.toBeNull();
  expect(beta.loadableLimit).not.toBeNull();

  await page.goto("/models");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Matrix" }).click();
  await expect(page).toHaveURL(/\/matrix$/);
  await expect(page.getByRole("heading", { name: "Matrix", level: 1 })).toBeVisible();
  await expect(page.getByRole("list", { name: "Legend" })).toContainText(
    "Share of the declared context usable (the effective limit where measured, else the loadable):",
  );

  const cell = (modelKey: string, hostName: string) =>
    page.getByRole("link", { name: `${modelKey} on ${hostName}`, exact: true });
  // Measured: the limit the database has, the speed at it; stale with its reason in the tooltip.
  const alphaCell = cell("mx-alpha", FIRST);
  await expect(alphaCell).toContainText(`L ${count(alpha.loadableLimit!)}`);
  await expect(alphaCell).toContainText(/\d+\.\d tok\/s/);
  await expect(alphaCell).toHaveAttribute("data-state", "stale");
  await expect(alphaCell).toContainText("⚠ stale");
  await expect(alphaCell).toHaveAttribute("title", /Stale: LM Studio 0\.3\.20 → 0\.4\.21/);
  const betaCell = cell("mx-beta", SECOND);
  await expect(betaCell).toContainText(`L ${count(beta.loadableLimit!)}`);
  await expect(betaCell).toHaveAttribute("data-state", "measured");
  // Untested: the same base model on the other host, and the other quantisation.
  await expect(cell("mx-alpha", SECOND)).toHaveAttribute("data-state", "untested");
  await expect(cell("mx-alpha", SECOND)).toHaveText("untested");
  await expect(cell("mx-alpha@q8_0", FIRST)).toHaveAttribute("data-state", "untested");

  // What the page shows is what the API answers: one group for mx-alpha's two quantisations.
  // The API answers JSON text (apps/web/src/lib/json-text.ts).
  const matrix = JSON.parse(await trpcQuery<string>(request, "matrix.get")) as Matrix;
  const group = matrix.groups.find((candidate) => candidate.base === "mx-alpha");
  expect(group?.rows.map((row) => row.variant)).toEqual(["q4_k_m", "q8_0"]);
  const rowGroup = page
    .getByRole("rowgroup")
    .filter({ has: page.getByRole("rowheader", { name: /mx-alpha/ }) });
  await expect(rowGroup.getByRole("row")).toHaveCount(2);

  await betaCell.click();
  await expect(page).toHaveURL(new RegExp(`/models/${beta.id}$`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText("mx-beta");
});

test("the finder returns the models that serve the tokens, best first, and keeps its request in the URL", async ({
  page,
  request,
}) => {
  const beta = await stored(request, SECOND, "mx-beta");
  await page.goto("/matrix");
  await page.getByLabel("Tokens of context").fill("20,000");
  await page.getByLabel("At least tok/s").fill("1");
  await page.getByLabel("Type").selectOption("llm");
  await page.getByRole("button", { name: "Find" }).click();
  await expect(page).toHaveURL(/\/matrix\?tokens=20000&tps=1&type=llm$/);

  const expected = JSON.parse(
    await trpcQuery<string>(request, "matrix.fit", { tokens: 20_000, minTokensPerSec: 1, type: "llm" }),
  ) as FitResult[];
  expect(expected.map((fit) => `${fit.modelKey} ${fit.hostName}`)).toContain(`mx-beta ${SECOND}`);
  expect(expected.map((fit) => fit.modelKey)).not.toContain("mx-alpha");
  const results = page.getByRole("table", { name: "Models that fit, best first" });
  const rows = results.getByRole("row").filter({ has: page.getByRole("cell") });
  await expect(rows).toHaveCount(expected.length);
  const mine = rows.filter({ hasText: "mx-beta" }).filter({ hasText: SECOND });
  await expect(mine).toContainText(`${count(beta.loadableLimit!)} (loadable)`);
  for (const [index, fit] of expected.entries()) {
    await expect(rows.nth(index)).toContainText(fit.modelKey);
    await expect(rows.nth(index)).toContainText(fit.hostName);
  }

  // A reload asks the same; a size nothing was measured at finds nothing.
  await page.reload();
  await expect(page.getByLabel("Tokens of context")).toHaveValue("20000");
  await expect(mine).toBeVisible();
  await page.getByLabel("Tokens of context").fill("9000000");
  await page.getByRole("button", { name: "Find" }).click();
  await expect(
    page.getByText("No tested model serves 9,000,000 tokens at 1.0 tok/s by measurement."),
  ).toBeVisible();
  await page.getByLabel("Tokens of context").fill("lots");
  await page.getByRole("button", { name: "Find" }).click();
  await expect(page.getByText("A whole number of tokens from 1 to 10,000,000.")).toBeVisible();
});
