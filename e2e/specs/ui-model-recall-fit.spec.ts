import { DEFAULT_RECALL_THRESHOLD, recallAt, recallFitOf } from "@lmstrix/core";
import type { FleetInput } from "@lmstrix/lmstudio-emulator";
import { expect, test } from "@playwright/test";
import { startRun, waitForRunEnd } from "../support/dashboard";
import { openE2eDatabase } from "../support/database";
import { useEmulatorHost } from "../support/emulator-host";

/**
 * The Model page's recall chart after an effective run on a model whose recall fades with length: it draws the
 * recall curve the limit was read off (fitted again from the stored checks by the search's own fit), against
 * prompt tokens, so that the effective limit's line stands where the curve crosses the threshold.
 */
const HOST = "fit-box";
const MODEL = "fading-fit-7b";
const FLEET: FleetInput = {
  memoryBytes: 16 * 1024 ** 3,
  models: [
    {
      modelKey: MODEL,
      displayName: "Fading Fit 7B",
      type: "llm",
      format: "gguf",
      path: `lmstudio-community/${MODEL}-GGUF/${MODEL}-Q4_K_M.gguf`,
      sizeBytes: 2_497_280_000,
      architecture: "qwen2",
      paramsString: "7B",
      maxContextLength: 32_768,
      kvBytesPerToken: 57_344,
      // Crosses 85.6 % at about 16,400 prompt tokens.
      recall: { at50: 20_000, width: 2_000 },
    },
  ],
};
const count = (value: number) => value.toLocaleString("en-US");
const tenth = (share: number) => `${Math.round(share * 1000) / 10}%`;

const lab = useEmulatorHost(HOST, { fleet: FLEET, seed: 13 });

/** [x, y] pairs of an SVG path drawn with straight segments ("M1,2L3,4…"). */
function vertices(d: string): [number, number][] {
  const numbers = (d.match(/-?\d+(?:\.\d+)?(?:e-?\d+)?/g) ?? []).map(Number);
  const pairs: [number, number][] = [];
  for (let index = 0; index + 1 < numbers.length; index += 2)
    pairs.push([numbers[index]!, numbers[index + 1]!]);
  return pairs;
}

test("the recall chart draws the fitted curve through the filled checks, crossing the threshold at the effective limit", async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const runId = await startRun(request, {
    hostId: lab.host.id,
    modelKeys: [MODEL],
    options: { effective: true, reset: true, cooldownMs: 0 },
  });
  expect(await waitForRunEnd(request, runId, 90_000)).toBe("completed");

  const db = await openE2eDatabase();
  const { model, filled } = await (async () => {
    try {
      const model = await db.prisma.model.findFirstOrThrow({
        where: { modelKey: MODEL, host: { name: HOST } },
        select: { id: true, effectiveLimit: true },
      });
      const filled = await db.prisma.probe.findMany({
        where: { modelId: model.id, runId, kind: "effective" },
        orderBy: { id: "asc" },
      });
      return { model, filled };
    } finally {
      await db.close();
    }
  })();
  const fit = recallFitOf(
    filled.map((probe) => ({ ...probe, outcome: probe.outcome as "pass" | "fail" | null })),
    DEFAULT_RECALL_THRESHOLD,
  );
  expect(fit, "the search read this model's limit off a fitted curve").not.toBeNull();
  expect(fit!.limit).toBe(model.effectiveLimit);

  await page.goto(`/models/${model.id}`);
  const chart = page.getByTestId("recall-chart");
  const at = (promptTokens: number) =>
    `${tenth(recallAt(promptTokens, fit!, DEFAULT_RECALL_THRESHOLD))} at ${count(promptTokens)}`;
  await expect(chart.getByTestId("fitted-curve")).toHaveText(
    `Recall curve fitted through run #${runId}'s checks: ${at(fit!.measured.low)} prompt tokens, 85.6% at ${count(
      fit!.limit,
    )}, ${at(fit!.measured.high)}`,
  );

  // Where the drawn curve crosses the threshold line is where the effective limit's line stands.
  const curve = chart.locator(".fitted-recall-curve path").first();
  await expect(curve).toBeVisible();
  const points = vertices((await curve.getAttribute("d")) ?? "");
  expect(points.length).toBeGreaterThan(10);
  const lines = await chart.locator(".recharts-reference-line line").evaluateAll((found) =>
    found.map((line) => ({
      x1: Number(line.getAttribute("x1")),
      x2: Number(line.getAttribute("x2")),
      y1: Number(line.getAttribute("y1")),
      y2: Number(line.getAttribute("y2")),
    })),
  );
  const threshold = lines.find((line) => line.y1 === line.y2)!;
  const effective = lines.find((line) => line.x1 === line.x2)!;
  expect(threshold).toBeDefined();
  expect(effective).toBeDefined();
  // Recall falls to the right: the first vertex below the line (a larger y) and the one before it.
  const below = points.findIndex(([, y]) => y > threshold.y1);
  expect(below).toBeGreaterThan(0);
  const [xa, ya] = points[below - 1]!;
  const [xb, yb] = points[below]!;
  const crossing = xa + ((threshold.y1 - ya) / (yb - ya)) * (xb - xa);
  expect(Math.abs(crossing - effective.x1)).toBeLessThan(3);
});
