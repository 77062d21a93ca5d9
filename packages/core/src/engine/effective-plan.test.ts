import { describe, expect, it } from "vitest";
import { seededRandom } from "../effective/haystack";
import { checkDepthsOf, filledCheckDepths, MAX_NEEDLES } from "../effective/needles";
import { FILLED_NEEDLES, filledSample, promptOf } from "../testing/filled-samples";
import {
  bracketOf,
  type FilledSample,
  fallingRecall,
  gridSizes,
  judgeSize,
  MAX_FILLED_PROBES,
  noiseOf,
  planEffective,
  refineSize,
  sizeEvidence,
} from "./effective-plan";

const T = 0.856;
const NEEDLES = FILLED_NEEDLES;
const sample = filledSample;

describe("effective plan: the grid", () => {
  it("is powers of two from 4,096 below the loadable limit, then the loadable limit", () => {
    expect(gridSizes(40_000)).toEqual([4_096, 8_192, 16_384, 32_768, 40_000]);
    expect(gridSizes(32_768)).toEqual([4_096, 8_192, 16_384, 32_768]);
    expect(gridSizes(3_000)).toEqual([3_000]);
  });

  it("walks the grid while sizes pass, and credits the whole window when the loadable limit passes", () => {
    const samples = [sample(4_096, 16), sample(8_192, 16)];
    expect(planEffective({ loadable: 20_000, threshold: T, floor: 2_048, samples })).toEqual({
      kind: "probe",
      context: 16_384,
      phase: "grid",
    });
    const all = [...samples, sample(16_384, 16), sample(20_000, 16)];
    const step = planEffective({ loadable: 20_000, threshold: T, floor: 2_048, samples: all });
    expect(step).toMatchObject({
      kind: "done",
      outcome: { limit: 20_000, range: { low: 20_000, high: 20_000 } },
    });
  });

  it("stops the grid at a size clearly below the threshold and refines between it and the last pass", () => {
    const samples = [sample(4_096, 16), sample(8_192, 16), sample(16_384, 16), sample(32_768, 2)];
    const step = planEffective({ loadable: 100_000, threshold: T, floor: 2_048, samples });
    expect(step.kind).toBe("probe");
    if (step.kind !== "probe") return;
    expect(step.phase).toBe("refine");
    expect(step.context).toBeGreaterThan(16_384);
    expect(step.context).toBeLessThan(32_768);
  });

  it("tries the floor when even the first grid size fails, and reports none when the floor fails too", () => {
    const first = [sample(4_096, 3)];
    expect(planEffective({ loadable: 60_000, threshold: T, floor: 2_048, samples: first })).toEqual({
      kind: "probe",
      context: 2_048,
      phase: "grid",
    });
    const step = planEffective({
      loadable: 60_000,
      threshold: T,
      floor: 2_048,
      samples: [...first, sample(2_048, 2)],
    });
    expect(step).toMatchObject({ kind: "done", outcome: { limit: null, range: null } });
  });
});

describe("effective plan: no limit at all is decided outside the noise", () => {
  // A short-context score two points above the threshold: the first grid size and the floor fail by chance.
  const unlucky = [
    sample(4_096, 50, { needles: 64 }),
    sample(8_192, 215, { needles: 256 }),
    sample(8_192, 215, { needles: 256 }),
    sample(2_048, 28, { needles: 32 }),
    sample(2_048, 26, { needles: 32 }),
  ];
  const plan = (samples: FilledSample[], budget?: number) =>
    planEffective({ loadable: 12_288, threshold: T, floor: 2_048, samples, budget });

  it("measures the short size asking most needles again while the short sizes, pooled, lie within the noise", () => {
    // 104 of 128 = 81.3 %: 1.4 standard errors below 85.6 %.
    expect(plan(unlucky)).toEqual({ kind: "probe", context: 4_096, phase: "repeat" });
    // A repeat that recalls well puts the first grid size back above the threshold, and the search goes on.
    const step = plan([...unlucky, sample(4_096, 62, { needles: 64 })]);
    expect(step.kind).toBe("probe");
    if (step.kind === "probe") expect(step.context).toBeGreaterThan(4_096);
  });

  it("reports none once the pooled short sizes lie clearly below the threshold, or the budget is spent", () => {
    const poor = [...unlucky, sample(4_096, 44, { needles: 64 })];
    // 148 of 192 = 77.1 %: 3.4 standard errors below.
    expect(plan(poor)).toMatchObject({ kind: "done", outcome: { limit: null } });
    expect(plan(unlucky, unlucky.length)).toMatchObject({
      kind: "done",
      outcome: { limit: null, isBudgetSpent: true },
    });
  });

  it("takes a cut short prompt at its word", () => {
    // Pooled with the floor, the cut check's 52 of 64 would lie within the noise: a cut is no chance failure.
    const cut = [
      sample(4_096, 52, { needles: 64, isHardFailure: true }),
      sample(2_048, 27, { needles: 32 }),
      sample(2_048, 27, { needles: 32 }),
    ];
    expect(plan(cut)).toMatchObject({ kind: "done", outcome: { limit: null } });
  });
});

describe("effective plan: repeats within the noise", () => {
  it("measures a size within one standard error of the threshold again where it bounds the bracket", () => {
    // 14 of 16 = 87.5 %: 0.02 above 85.6 %, well within ±0.088.
    expect(noiseOf(T, NEEDLES)).toBeCloseTo(0.0877, 3);
    expect(judgeSize([sample(8_192, 14)], T).verdict).toBe("unsure");
    const plan = (samples: FilledSample[]) =>
      planEffective({ loadable: 60_000, threshold: T, floor: 2_048, samples });
    // While the grid passes it goes on: a clear pass above would imply this size.
    const leaning = [sample(4_096, 16), sample(8_192, 14)];
    expect(plan(leaning)).toEqual({ kind: "probe", context: 16_384, phase: "grid" });
    // Bounding the bracket once the grid stopped, it is measured again before anything is refined.
    expect(plan([...leaning, sample(16_384, 2)])).toEqual({ kind: "probe", context: 8_192, phase: "repeat" });
  });

  it("pools the repeat with the first measurement before it decides", () => {
    expect(judgeSize([sample(8_192, 14), sample(8_192, 16)], T)).toMatchObject({
      verdict: "pass",
      recall: 30 / 32,
      probes: 2,
      needles: 32,
    });
    expect(judgeSize([sample(8_192, 14), sample(8_192, 11)], T)).toMatchObject({
      verdict: "fail",
      probes: 2,
    });
  });

  it("decides at once on a perfect score, a clear failure, and a cut prompt whatever it recalled", () => {
    expect(judgeSize([sample(8_192, 16)], T).verdict).toBe("pass");
    expect(judgeSize([sample(8_192, 4)], T).verdict).toBe("fail");
    expect(judgeSize([sample(8_192, 15, { isHardFailure: true })], T).verdict).toBe("fail");
  });
});

describe("effective plan: refinement and the range", () => {
  it("interpolates the recall curve on a fade, halves the bracket on a cliff", () => {
    const pass = { context: 32_768, recall: 0.95 };
    const fail = { context: 65_536, recall: 0.3 };
    const fade = refineSize(pass, fail, { shortContext: 1, threshold: T, isCliff: false, precision: 655 });
    // The logit of recall falls linearly between the ends: 85.6 % is crossed in the lower part of the bracket.
    expect(fade).toBeGreaterThan(36_000);
    expect(fade).toBeLessThan(45_000);
    const cliff = refineSize(
      { context: 32_768, recall: 1 },
      { context: 65_536, recall: 0 },
      { shortContext: 1, threshold: T, isCliff: true, precision: 655 },
    );
    expect(cliff).toBe(49_152);
  });

  it("ends when a fading bracket is within 5 %, with the limit the largest pass and the range up to the first fail", () => {
    // One size on the slope (9 of 16) cannot shape a fitted curve: the bracket decides, as without a fit.
    const samples = [
      sample(4_096, 16),
      sample(8_192, 16),
      sample(16_384, 16),
      sample(32_768, 16),
      sample(65_536, 0),
      sample(48_000, 16),
      sample(50_000, 9),
    ];
    const step = planEffective({ loadable: 100_000, threshold: T, floor: 2_048, samples });
    expect(step).toMatchObject({
      kind: "done",
      outcome: {
        limit: promptOf(48_000),
        range: { low: promptOf(48_000), high: promptOf(50_000) },
        probes: 7,
      },
    });
  });

  it("locates a cliff (or a cut prompt) to the run's precision, not to 5 %", () => {
    const samples = [sample(16_384, 16), sample(32_768, 0), sample(30_000, 16)];
    const step = planEffective({ loadable: 100_000, threshold: T, floor: 2_048, samples, precision: 256 });
    expect(step).toMatchObject({ kind: "probe", phase: "refine" });
  });

  it("stops at the budget, deciding a size within the noise by its pooled recall", () => {
    const samples = [
      sample(4_096, 16),
      ...Array.from({ length: MAX_FILLED_PROBES - 1 }, () => sample(8_192, 14)),
    ];
    const step = planEffective({ loadable: 60_000, threshold: T, floor: 2_048, samples });
    expect(step).toMatchObject({
      kind: "done",
      outcome: { isBudgetSpent: true, probes: MAX_FILLED_PROBES, limit: promptOf(8_192) },
    });
  });
});

describe("effective plan: on a model whose recall fades and wavers", () => {
  // A logistic fade (L50 = 40,000, W = 3,200) with a small middle dip; each needle recalled independently.
  const curve = { at50: 40_000, width: 3_200, middleDip: 0.06, base: 1 };
  const probability = (tokens: number, depth: number) =>
    (curve.base * (1 - curve.middleDip * Math.sin(Math.PI * depth))) /
    (1 + Math.exp((tokens - curve.at50) / curve.width));
  const truthDepths = checkDepthsOf(MAX_NEEDLES);
  const expected = (tokens: number) =>
    truthDepths.reduce((sum, depth) => sum + probability(tokens, depth), 0) / truthDepths.length;
  let truth = 0;
  for (let tokens = 1_000; expected(tokens) >= T; tokens += 10) truth = tokens;

  function search(seed: number) {
    const random = seededRandom(seed);
    const samples: FilledSample[] = [];
    for (;;) {
      const step = planEffective({ loadable: 100_000, threshold: T, floor: 2_048, samples });
      if (step.kind === "done") return step.outcome;
      const tokens = promptOf(step.context);
      // As many needles as the engine's filled check asks in this window.
      const depths = filledCheckDepths(step.context);
      const recalled = depths.filter((depth) => random() < probability(tokens, depth)).length;
      samples.push(sample(step.context, recalled, { needles: depths.length }));
    }
  }

  it("finds the limit within 10 % in at most 12 filled probes, on most draws", () => {
    const outcomes = Array.from({ length: 40 }, (_, index) => search(index + 1));
    const close = outcomes.filter((outcome) => Math.abs((outcome.limit ?? 0) - truth) <= 0.1 * truth);
    expect(close.length / outcomes.length).toBeGreaterThanOrEqual(0.9);
    for (const outcome of outcomes) {
      expect(outcome.probes).toBeLessThanOrEqual(MAX_FILLED_PROBES);
      // The limit is read off the curve fitted through every probe; the range is its ±1σ interval around it.
      expect(outcome.range!.low).toBeLessThanOrEqual(outcome.limit!);
      expect(outcome.range!.high).toBeGreaterThanOrEqual(outcome.limit!);
      expect(outcome.shortContext?.context).toBe(4_096);
    }
  });
});

describe("effective plan: a short size that fails by chance", () => {
  const evidence = (samples: FilledSample[]) => sizeEvidence(samples, T);

  it("pools a size that did worse than a longer one with it (recall falls with length)", () => {
    const fitted = fallingRecall(evidence([sample(4_096, 13), sample(8_192, 16), sample(16_384, 4)]));
    expect(fitted[0]).toBeCloseTo(29 / 32);
    expect(fitted[1]).toBeCloseTo(29 / 32);
    expect(fitted[2]).toBeCloseTo(4 / 16);
    // A cut prompt fails that size and every longer one, whatever they recalled.
    const cut = fallingRecall(evidence([sample(4_096, 16), sample(8_192, 16, { isHardFailure: true })]));
    expect(cut).toEqual([1, 0]);
    // Nor is what a cut prompt recalled pooled with the sizes before it.
    const cutAfterWeak = fallingRecall(
      evidence([sample(4_096, 13), sample(8_192, 16, { isHardFailure: true }), sample(16_384, 16)]),
    );
    expect(cutAfterWeak).toEqual([13 / 16, 0, 0]);
  });

  it("asks the next grid size before a failure just below the threshold bounds anything", () => {
    // 13 of 16 (81 %) is within two standard errors of 85.6 %: on a weak short-context score, chance.
    const step = planEffective({
      loadable: 100_000,
      threshold: T,
      floor: 2_048,
      samples: [sample(4_096, 13)],
    });
    expect(step).toEqual({ kind: "probe", context: 8_192, phase: "grid" });
    // The longer size passes: the pooled curve passes both, and the grid goes on.
    const on = planEffective({
      loadable: 100_000,
      threshold: T,
      floor: 2_048,
      samples: [sample(4_096, 13), sample(8_192, 16)],
    });
    expect(on).toEqual({ kind: "probe", context: 16_384, phase: "grid" });
    expect(bracketOf(evidence([sample(4_096, 13), sample(8_192, 16)])).fail).toBeNull();
  });

  it("trusts a failure far below the threshold at once", () => {
    const samples = [sample(4_096, 16), sample(8_192, 16), sample(16_384, 3)];
    const step = planEffective({ loadable: 100_000, threshold: T, floor: 2_048, samples });
    expect(step).toMatchObject({ kind: "probe", phase: "refine" });
  });
});
