import { answerReserve, needleCount, recallFitOf } from "@lmstrix/core";
import { describe, expect, it } from "vitest";
import type { EffectiveRun } from "./effective-runs";
import { fittedRecall } from "./fitted-recall";
import { filledFigures, type RecallProbe } from "./history";

const THRESHOLD = 0.856;
/** A model recalling 95 % of a short prompt, half of that at 30,000 tokens, fading over 4,000. */
const expected = (tokens: number) => 0.95 / (1 + Math.exp((tokens - 30_000) / 4_000));

/** A filled check of `window` recalling what the curve expects there (rounded to whole needles). */
function probe(id: number, window: number, runId = 5): RecallProbe {
  const needles = needleCount(window);
  const promptTokensSent = window - answerReserve(window);
  const recalled = Math.round(expected(promptTokensSent) * needles);
  return {
    id,
    runId,
    kind: "effective",
    outcome: recalled / needles >= THRESHOLD ? "pass" : "fail",
    contextRequested: window,
    contextApplied: window,
    recall: recalled / needles,
    isTruncated: false,
    promptTokensSent,
    promptTokens: promptTokensSent,
    expectedAnswer: Array.from({ length: needles }, (_, index) => String(10_000 + index)).join("\n"),
  };
}

const probes = [4_096, 8_192, 16_384, 32_768, 24_576, 20_480, 22_528].map((window, index) =>
  probe(index + 1, window),
);
const limit = recallFitOf(probes.map(filledFigures), THRESHOLD)!.limit;
const run = (effectiveLimit: number | null): EffectiveRun => ({
  runId: 5,
  effectiveLimit,
  effectiveRange: null,
  recallThreshold: THRESHOLD,
});

describe("the fitted recall curve of the Model page", () => {
  it("is the curve the run's limit was read off, drawn across the prompt lengths it measured", () => {
    const fitted = fittedRecall(probes, run(limit))!;
    expect(fitted.fit.limit).toBe(limit);
    // Close to the curve the checks were drawn from: 95 % on short prompts, crossing 85.6 % near 21,200.
    expect(fitted.fit.plateau).toBeCloseTo(0.95, 1);
    expect(Math.abs(limit - 21_220)).toBeLessThan(0.05 * 21_220);
    const lengths = probes.map((p) => p.promptTokensSent!);
    expect(fitted.points[0]?.promptTokens).toBe(Math.min(...lengths));
    expect(fitted.points.at(-1)?.promptTokens).toBe(Math.max(...lengths));
    // Falling with length, and at the threshold where it crosses.
    const recalls = fitted.points.map((point) => point.recall);
    expect(recalls).toEqual([...recalls].sort((a, b) => b - a));
    const crossing = fitted.points.findIndex((point) => point.recall < THRESHOLD * 100);
    expect(fitted.points[crossing - 1]!.promptTokens).toBeLessThanOrEqual(limit);
    expect(fitted.points[crossing]!.promptTokens).toBeGreaterThan(limit);
  });

  it("draws no further than the fit read: not at or past a prompt LM Studio cut", () => {
    // 32,768 was cut; a longer check measured after it is not read either.
    const cut = [
      ...probes.map((p) => (p.contextRequested === 32_768 ? { ...p, isTruncated: true } : p)),
      probe(30, 40_960),
    ];
    const cutLimit = recallFitOf(cut.map(filledFigures), THRESHOLD)!.limit;
    const read = probes.filter((p) => p.contextRequested < 32_768).map((p) => p.promptTokensSent!);
    expect(fittedRecall(cut, run(cutLimit))!.points.at(-1)?.promptTokens).toBe(Math.max(...read));
  });

  it("reads only that run's checks", () => {
    const other = [...probes, probe(20, 12_288, 6), { ...probe(21, 28_672, 6), recall: 1, outcome: "pass" }];
    expect(fittedRecall(other, run(limit))?.fit.limit).toBe(limit);
  });

  it("draws nothing where the run's limit did not come from the curve, or there is none", () => {
    // The limit stored is another: a cliff or a cut prompt kept the search to its bracket.
    expect(fittedRecall(probes, run(limit + 2_000))).toBeNull();
    expect(fittedRecall(probes, run(null))).toBeNull();
    expect(fittedRecall(probes, undefined)).toBeNull();
    // All recalled, then nothing: a cliff no curve can shape.
    const cliff = [4_096, 8_192, 16_384, 32_768].map((window, index) => ({
      ...probe(index + 1, window),
      recall: window < 30_000 ? 1 : 0,
    }));
    expect(fittedRecall(cliff, run(16_000))).toBeNull();
  });
});
