import { describe, expect, it } from "vitest";
import { seededRandom } from "../effective/haystack";
import { FILLED_NEEDLES, filledSample, promptOf } from "../testing/filled-samples";
import { contextAt, fitSamples, isFitNarrow, mostInformativeTokens } from "./effective-fit";
import { type FilledSample, MAX_FILLED_PROBES, planEffective } from "./effective-plan";
import { recallAt } from "./recall-fit";

const T = 0.856;
const NEEDLES = FILLED_NEEDLES;
const sample = filledSample;
const plan = (samples: FilledSample[], loadable = 100_000) =>
  planEffective({ loadable, threshold: T, floor: 2_048, samples });

describe("effective plan: the fitted recall curve", () => {
  // A fade seen by the grid and two refinements: 100 % up to 32K, 12 of 16 at 44K, 3 of 16 at 64K.
  const seen = [
    sample(4_096, 16),
    sample(8_192, 16),
    sample(16_384, 16),
    sample(32_768, 16),
    sample(65_536, 3),
    sample(49_152, 8),
    sample(44_032, 12),
  ];

  it("probes where one more probe narrows the crossing most, once the points show a slope", () => {
    const fit = fitSamples(seen, T)!;
    expect(fit).not.toBeNull();
    expect(fit.limit).toBeGreaterThan(promptOf(32_768));
    expect(fit.limit).toBeLessThan(promptOf(49_152));
    const tokens = mostInformativeTokens(fit, seen, T);
    expect(plan(seen)).toEqual({ kind: "probe", context: contextAt(tokens, seen), phase: "refine" });
    // Inside the sizes measured, and where recall is still falling: around the crossing, not on the plateau.
    expect(tokens).toBeGreaterThan(promptOf(32_768));
    expect(tokens).toBeLessThan(promptOf(65_536));
    const recall = recallAt(tokens, fit, T);
    expect(recall).toBeGreaterThan(0.2);
    expect(recall).toBeLessThan(0.98);
  });

  it("reads the limit and its ±1σ range off the curve, ending once the range is narrow and probes lie near it", () => {
    // Four probes near the crossing, as the engine asks at these sizes: 256 needles each.
    const wide = (context: number, recalled: number) => sample(context, recalled, { needles: 256 });
    const near = [...seen, wide(40_960, 240), wide(41_984, 224), wide(40_960, 224), wide(41_472, 240)];
    const fit = fitSamples(near, T)!;
    expect(isFitNarrow(fit, near)).toBe(true);
    const step = plan(near);
    expect(step.kind).toBe("done");
    if (step.kind !== "done") return;
    expect(step.outcome.fit).toEqual(fit);
    expect(step.outcome.limit).toBe(fit.limit);
    expect(step.outcome.range).toEqual(fit.range);
    expect(step.outcome.range!.low).toBeLessThan(fit.limit);
    expect(step.outcome.range!.high).toBeGreaterThan(fit.limit);
    // The pass and fail it reports are the measured bracket, for the reason's wording.
    expect(step.outcome.pass?.context).toBeLessThan(step.outcome.fail!.context);
  });

  it("does not end on a narrow range until three probes lie within 10 % of the limit", () => {
    const fit = fitSamples(seen, T)!;
    expect(isFitNarrow({ ...fit, range: { low: fit.limit - 1, high: fit.limit + 1 } }, seen)).toBe(false);
  });

  it("stops at the budget with the fitted limit", () => {
    const spent = [
      ...seen,
      ...Array.from({ length: MAX_FILLED_PROBES - seen.length }, () => sample(43_008, 13)),
    ];
    const step = plan(spent);
    expect(step).toMatchObject({ kind: "done", outcome: { isBudgetSpent: true, probes: MAX_FILLED_PROBES } });
    if (step.kind === "done") expect(step.outcome.fit).not.toBeNull();
  });

  it("keeps to bisection on a cliff: all recalled below it, nothing above, no slope for a curve", () => {
    const cliff = [
      sample(4_096, 16),
      sample(8_192, 16),
      sample(16_384, 16),
      sample(32_768, 16),
      sample(65_536, 0),
    ];
    expect(fitSamples([...cliff, sample(49_152, 0), sample(40_960, 16)], T)).toBeNull();
    expect(plan([...cliff, sample(49_152, 0), sample(40_960, 16)])).toEqual({
      kind: "probe",
      context: 45_056,
      phase: "refine",
    });
  });

  it("reads no probe at or past a cut prompt, and lets a cut bracket bisect as before", () => {
    const cut = [...seen.slice(0, 4), sample(65_536, 16, { isHardFailure: true }), sample(49_152, 8)];
    // Left of the cut: 100 % four times and 8 of 16 once, too little slope to shape a curve.
    expect(fitSamples(cut, T)).toBeNull();
    const step = plan(cut);
    expect(step).toMatchObject({ kind: "probe", phase: "refine" });
  });

  it("loads the window whose filled prompt has the asked tokens, rounded, within the sizes measured", () => {
    expect(contextAt(promptOf(40_960), seen)).toBe(40_960);
    expect(contextAt(promptOf(41_000), seen) % 256).toBe(0);
    expect(contextAt(1_000, seen)).toBe(4_096);
    expect(contextAt(500_000, seen)).toBe(65_536);
  });

  it("finds a weak-based fade's limit without the downward lean of the largest passing size", () => {
    // Base recall 93 %: close to the threshold, the curve crosses it far before its half-recall size.
    const curve = { plateau: 0.93, at50: 60_000, width: 5_000 };
    const truth = curve.at50 + curve.width * Math.log(curve.plateau / T - 1);
    const errors = Array.from({ length: 30 }, (_, index) => {
      const random = seededRandom(index + 100);
      const samples: FilledSample[] = [];
      for (;;) {
        const step = plan(samples, 120_000);
        if (step.kind === "done") return ((step.outcome.limit ?? 0) - truth) / truth;
        const probability =
          curve.plateau / (1 + Math.exp((promptOf(step.context) - curve.at50) / curve.width));
        let recalled = 0;
        for (let needle = 0; needle < NEEDLES; needle++) if (random() < probability) recalled++;
        samples.push(sample(step.context, recalled));
      }
    });
    const mean = errors.reduce((sum, error) => sum + error, 0) / errors.length;
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(errors.filter((error) => Math.abs(error) <= 0.15).length).toBeGreaterThanOrEqual(21);
  });
});
