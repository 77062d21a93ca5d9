/**
 * The effective-context search as pure decisions over what the filled checks showed: a grid of sizes first
 * (powers of two from 4,096, then the loadable limit), refinement between the last size that passed and the
 * first that failed, and repeats (fresh needles, pooled) wherever a size's recall is within the noise of the
 * threshold. Recall fades with length and wavers from prompt to prompt, so one filled prompt per size — a binary
 * search over a noisy answer — would land anywhere; the grid and the pooled repeats make each decision count.
 * Once the probes show a slope, a recall curve fitted through all of them (recall-fit.ts) takes over from the
 * bracket: later probes go where one more narrows its crossing most, and the limit and its range are read off it. A cliff
 * (or a cut prompt), which no curve can shape, keeps to the bracket and is located to the run's precision.
 */

import { contextAt, fitSamples, isFitNarrow, mostInformativeTokens } from "./effective-fit";
import type { RecallFit } from "./recall-fit";

/** The first grid size: short enough for every model to recall well, its score is the short-context score. */
export const EFFECTIVE_GRID_START = 4_096;
/** Filled probes per model and run, at most: each one at 100K tokens costs minutes on a real GPU. */
export const MAX_FILLED_PROBES = 12;
/** Probes at one size (the first and a repeat) before its pooled recall decides; see `shortSizeWithinNoise`. */
export const MAX_PROBES_PER_SIZE = 2;
/** A fading edge is located to within this share of the size; finer would be finer than the noise. */
export const FADING_BRACKET_SHARE = 0.05;
/**
 * How many binomial standard errors (of the threshold, for the needles asked) a pooled recall must lie from
 * the threshold to decide without another probe.
 */
export const NOISE_BAND_Z = 1;
/** A drop in recall of at least this much across the bracket is a cliff, not a fade: located to the precision. */
export const CLIFF_DROP = 0.5;
/** A failing size within this many standard errors below the threshold is not trusted until a longer one is seen. */
export const LOOK_PAST_Z = 2;

/** One finished filled check, as the planner needs it. */
export interface FilledSample {
  /** The requested (loaded) size. */
  context: number;
  /** The tokens the model was shown: sent, and never more than LM Studio reported processing. */
  promptTokens: number;
  recalled: number;
  needles: number;
  /** Failed whatever it recalled: LM Studio cut the prompt, or the check could not be asked at this size. */
  isHardFailure: boolean;
}

export type SizeVerdict = "pass" | "fail" | "unsure";

/** What the filled checks at one size showed, pooled. */
export interface SizeEvidence {
  threshold: number;
  context: number;
  promptTokens: number;
  recall: number;
  needles: number;
  probes: number;
  isHardFailure: boolean;
  verdict: SizeVerdict;
}

export interface EffectivePlanInput {
  loadable: number;
  threshold: number;
  /** The smallest size worth a filled check when even the first grid size fails (the run's verify size). */
  floor: number;
  /** The run's precision for a sharp edge (tokens); default max(256, 1 % of the size). */
  precision?: number;
  samples: readonly FilledSample[];
  budget?: number;
}

export type EffectivePhase = "grid" | "refine" | "repeat";

export type EffectiveStep =
  | { kind: "probe"; context: number; phase: EffectivePhase }
  | { kind: "done"; outcome: EffectiveOutcome };

export interface EffectiveOutcome {
  /**
   * Prompt tokens where the fitted curve crosses the threshold; without a fit, of the largest size shown at or
   * above it (the loadable limit when it passed).
   */
  limit: number | null;
  /**
   * Where the limit lies: the fit's ±1σ interval around it; without a fit, `low` = the limit and `high` = the
   * smallest size shown below, or the loadable limit.
   */
  range: { low: number; high: number } | null;
  /** The size that passed and the size that failed last (requested sizes), when there are both. */
  pass: SizeEvidence | null;
  fail: SizeEvidence | null;
  /** The smallest size measured: the model's own short-context score. */
  shortContext: SizeEvidence | null;
  probes: number;
  isBudgetSpent: boolean;
  /** The recall curve fitted through every probe, when the limit and range were read off it. */
  fit: RecallFit | null;
}

export function defaultPrecision(size: number): number {
  return Math.max(256, Math.ceil(size / 100));
}

/** The grid: 4,096, 8,192, … below the loadable limit, then the loadable limit itself. */
export function gridSizes(loadable: number): number[] {
  const sizes: number[] = [];
  for (let size = EFFECTIVE_GRID_START; size < loadable; size *= 2) sizes.push(size);
  sizes.push(loadable);
  return sizes;
}

/** Binomial standard error of a recall equal to the threshold, measured over `needles` needles. */
export function noiseOf(threshold: number, needles: number): number {
  return Math.sqrt((threshold * (1 - threshold)) / Math.max(1, needles));
}

/** Pools the samples at one size and judges it: pass, fail, or within the noise (measure again). */
export function judgeSize(
  samples: readonly FilledSample[],
  threshold: number,
  maxProbes = MAX_PROBES_PER_SIZE,
): SizeEvidence {
  const first = samples[0];
  if (!first) throw new Error("judgeSize: no samples");
  const recalled = samples.reduce((sum, sample) => sum + sample.recalled, 0);
  const needles = samples.reduce((sum, sample) => sum + sample.needles, 0);
  const recall = needles > 0 ? recalled / needles : 0;
  const isHardFailure = samples.some((sample) => sample.isHardFailure);
  const evidence = {
    threshold,
    context: first.context,
    promptTokens: Math.min(...samples.map((sample) => sample.promptTokens)),
    recall,
    needles,
    probes: samples.length,
    isHardFailure,
  };
  if (isHardFailure) return { ...evidence, verdict: "fail" };
  // A perfect score cannot be noise in the model's favour; anything else near the threshold is measured again.
  const isWithinNoise =
    recall < 1 && Math.abs(recall - threshold) < NOISE_BAND_Z * noiseOf(threshold, needles);
  if (isWithinNoise && samples.length < maxProbes) return { ...evidence, verdict: "unsure" };
  return { ...evidence, verdict: recall >= threshold ? "pass" : "fail" };
}

/** The evidence per size, in size order. */
export function sizeEvidence(
  samples: readonly FilledSample[],
  threshold: number,
  maxProbes = MAX_PROBES_PER_SIZE,
): SizeEvidence[] {
  const bySize = new Map<number, FilledSample[]>();
  for (const sample of samples) bySize.set(sample.context, [...(bySize.get(sample.context) ?? []), sample]);
  return [...bySize.keys()]
    .sort((a, b) => a - b)
    .map((context) => judgeSize(bySize.get(context)!, threshold, maxProbes));
}

/** The next filled probe, or the outcome when the bracket is narrow enough or the budget is spent. */
export function planEffective(input: EffectivePlanInput): EffectiveStep {
  const budget = input.budget ?? MAX_FILLED_PROBES;
  const probes = input.samples.length;
  const isBudgetSpent = probes >= budget;
  // Out of budget, a size within the noise decides by its pooled recall as it stands.
  const sizes = sizeEvidence(input.samples, input.threshold, isBudgetSpent ? 0 : MAX_PROBES_PER_SIZE);
  const done = (extra: Partial<EffectiveOutcome> = {}): EffectiveStep => ({
    kind: "done",
    outcome: outcomeOf(input, sizes, probes, isBudgetSpent, extra),
  });
  // While the grid passes, a size within the noise leans by its recall and the grid goes on: a clear pass above
  // it implies it (recall falls with length). Where it still bounds the bracket, it is measured again.
  const { pass, fail } = bracketOf(sizes);
  const repeat = (size: SizeEvidence): EffectiveStep => ({
    kind: "probe",
    context: size.context,
    phase: "repeat",
  });
  const past = fail === null || isBudgetSpent ? undefined : lookPast(sizes, fail, input.loadable);
  if (past !== undefined) return { kind: "probe", context: past, phase: "grid" };
  // Once pass and fail are both seen and the points show a slope, the curve fitted through every probe reads
  // the limit off: it ends the search once its interval is narrow, and after the repeats it says where to look.
  const fit = pass && fail && !fail.isHardFailure ? fitSamples(input.samples, input.threshold) : null;
  if (fit && (isBudgetSpent || isFitNarrow(fit, input.samples))) return done({ fit });
  // Once the grid has stopped, every size within the noise is measured again before the search goes on.
  const unsure =
    fail === null
      ? undefined
      : sizes.find((size) => size.verdict === "unsure" && size.context >= (pass?.context ?? 0));
  if (unsure) return repeat(unsure);
  if (fit) {
    const tokens = mostInformativeTokens(fit, input.samples, input.threshold);
    return { kind: "probe", context: contextAt(tokens, input.samples), phase: "refine" };
  }
  const finish = (): EffectiveStep => (pass?.verdict === "unsure" ? repeat(pass) : done());
  if (fail === null) {
    const next = gridSizes(input.loadable).find((size) => !sizes.some((seen) => seen.context === size));
    if (next === undefined || isBudgetSpent) return finish();
    return { kind: "probe", context: next, phase: "grid" };
  }
  if (pass === null) {
    // Even the first grid size fails: one filled check at the floor, then refine between it and the grid.
    const floor = Math.min(input.floor, fail.context);
    if (isBudgetSpent) return done();
    if (floor < fail.context && !sizes.some((size) => size.context <= floor)) {
      return { kind: "probe", context: floor, phase: "grid" };
    }
    const again = shortSizeWithinNoise(sizes, input.threshold);
    return again === undefined ? done() : { kind: "probe", context: again, phase: "repeat" };
  }
  const isCliff = fail.isHardFailure || pass.recall - fail.recall >= CLIFF_DROP;
  const precision = input.precision ?? defaultPrecision(pass.context);
  const width = isCliff ? precision : Math.max(precision, FADING_BRACKET_SHARE * pass.context);
  if (isBudgetSpent) return done();
  if (fail.context - pass.context <= width) return finish();
  const shortContext = sizes[0]?.recall ?? 1;
  const context = refineSize(pass, fail, { shortContext, threshold: input.threshold, isCliff, precision });
  return { kind: "probe", context, phase: "refine" };
}

/**
 * Recall per size as a curve that never rises with length (pool-adjacent-violators, weighted by needles): recall
 * falls with length, so a size that did worse than a longer one was unlucky, and the two are pooled. A size
 * LM Studio cut fails whatever it recalled, and so does every longer one.
 */
export function fallingRecall(sizes: readonly SizeEvidence[]): number[] {
  // A cut prompt's recall is of what was left of it: it is not pooled with the sizes before it.
  const cut = sizes.findIndex((size) => size.isHardFailure);
  const measured = cut < 0 ? sizes : sizes.slice(0, cut);
  const blocks: { recall: number; needles: number; count: number }[] = [];
  for (const size of measured) {
    blocks.push({ recall: size.recall, needles: Math.max(1, size.needles), count: 1 });
    for (;;) {
      const last = blocks.at(-1)!;
      const before = blocks.at(-2);
      if (!before || before.recall >= last.recall) break;
      const needles = before.needles + last.needles;
      blocks.splice(-2, 2, {
        recall: (before.recall * before.needles + last.recall * last.needles) / needles,
        needles,
        count: before.count + last.count,
      });
    }
  }
  const fitted = blocks.flatMap((block) => Array<number>(block.count).fill(block.recall));
  return [...fitted, ...Array<number>(sizes.length - measured.length).fill(0)];
}

/** A size's side of the threshold on the falling curve: a decided verdict there, else where its recall leans. */
export function leaning(size: SizeEvidence, fitted = size.recall): "pass" | "fail" {
  if (size.isHardFailure) return "fail";
  if (fitted !== size.recall) return fitted >= size.threshold ? "pass" : "fail";
  if (size.verdict !== "unsure") return size.verdict;
  return size.recall >= size.threshold ? "pass" : "fail";
}

/** The largest size passing (or leaning to) below the smallest failing (or leaning to), on the falling curve. */
export function bracketOf(sizes: readonly SizeEvidence[]): {
  pass: SizeEvidence | null;
  fail: SizeEvidence | null;
} {
  const fitted = fallingRecall(sizes);
  const failIndex = sizes.findIndex((size, index) => leaning(size, fitted[index]) === "fail");
  const fail = failIndex < 0 ? null : sizes[failIndex]!;
  const below = sizes.filter(
    (size, index) => leaning(size, fitted[index]) === "pass" && (failIndex < 0 || index < failIndex),
  );
  return { pass: below.at(-1) ?? null, fail };
}

/**
 * A failing size only a little below the threshold, with no longer size measured yet: the next grid size is
 * asked before it bounds anything. Where the short-context score itself lies near the threshold, a short size
 * fails by chance; a pass above it outweighs that on the falling curve. A true fade fails the next size too.
 */
function lookPast(sizes: readonly SizeEvidence[], fail: SizeEvidence, loadable: number): number | undefined {
  if (
    fail.isHardFailure ||
    fail.recall < fail.threshold - LOOK_PAST_Z * noiseOf(fail.threshold, fail.needles)
  )
    return undefined;
  if (sizes.some((size) => size.context > fail.context)) return undefined;
  return gridSizes(loadable).find((size) => size > fail.context);
}

/**
 * "No limit at all" is decided outside the noise: while the short sizes (up to the first grid size), pooled,
 * lie within two standard errors of the threshold, the short size asking most needles per probe is measured
 * again, up to the budget. A short-context score a point or two above the threshold fails a short check or two
 * by chance (9 benchmark runs in 3,600 ended with no limit so, 1 with the repeats). One clearly below it is told
 * apart within a probe or two (80 % against 85.6 %: 5 probes in all); one a point or two below may spend the
 * budget, on the cheapest probes there are.
 */
function shortSizeWithinNoise(sizes: readonly SizeEvidence[], threshold: number): number | undefined {
  const short = sizes.filter((size) => size.context <= EFFECTIVE_GRID_START);
  // A cut prompt is no chance failure.
  if (short.length === 0 || short.some((size) => size.isHardFailure)) return undefined;
  const needles = short.reduce((sum, size) => sum + size.needles, 0);
  const recall = short.reduce((sum, size) => sum + size.recall * size.needles, 0) / Math.max(1, needles);
  if (recall < threshold - LOOK_PAST_Z * noiseOf(threshold, needles)) return undefined;
  return short.reduce((most, size) => (size.needles / size.probes > most.needles / most.probes ? size : most))
    .context;
}

/**
 * Where to look between a pass and a fail. On a cliff, halfway. On a fade, where the recall curve crosses the
 * threshold: recall is taken as the short-context score times a logistic fall with length, so the logit of
 * recall / short-context score is interpolated linearly between the two ends — kept off the ends, so that a
 * poor guess still narrows the bracket.
 */
export function refineSize(
  pass: Pick<SizeEvidence, "context" | "recall">,
  fail: Pick<SizeEvidence, "context" | "recall">,
  how: { shortContext: number; threshold: number; isCliff: boolean; precision: number },
): number {
  const { shortContext: top, threshold, isCliff, precision } = how;
  const low = pass.context;
  const high = fail.context;
  let guess = (low + high) / 2;
  if (!isCliff && top > threshold) {
    const logit = (recall: number) => {
      const share = Math.min(0.98, Math.max(0.02, recall / top));
      return Math.log(share / (1 - share));
    };
    const atLow = logit(pass.recall);
    const atHigh = logit(fail.recall);
    const target = logit(threshold);
    if (atLow > atHigh) guess = low + ((atLow - target) / (atLow - atHigh)) * (high - low);
  }
  const margin = 0.1 * (high - low);
  const clamped = Math.min(high - margin, Math.max(low + margin, guess));
  const step = Math.min(precision, 256);
  return Math.min(high - 1, Math.max(low + 1, Math.round(clamped / step) * step));
}

function outcomeOf(
  input: EffectivePlanInput,
  sizes: readonly SizeEvidence[],
  probes: number,
  isBudgetSpent: boolean,
  extra: Partial<EffectiveOutcome>,
): EffectiveOutcome {
  const { pass, fail } = bracketOf(sizes);
  const shortContext = sizes[0] ?? null;
  const base = { pass, fail, shortContext, probes, isBudgetSpent, fit: null, ...extra };
  if (base.fit) return { ...base, limit: base.fit.limit, range: base.fit.range };
  if (pass === null) return { ...base, limit: null, range: null };
  // A pass at the loadable limit credits the whole window: that is what the model was shown to use.
  const limit = pass.context >= input.loadable ? input.loadable : pass.promptTokens;
  const high = fail?.promptTokens ?? input.loadable;
  return { ...base, limit, range: { low: limit, high: Math.max(limit, high) } };
}
