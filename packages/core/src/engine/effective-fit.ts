/**
 * The effective search's use of the fitted recall curve (recall-fit.ts): which probes it reads, when its
 * interval is narrow enough to stop, where the next probe tells most about the crossing, and which size to load.
 */
import { answerReserve } from "../effective/needles";
import type { FilledSample } from "./effective-plan";
import { fitRecallCurve, type RecallFit, recallAt } from "./recall-fit";

/**
 * The search ends once the fitted interval (±1 standard error) spans at most this share of the limit: the
 * limit is then within ±3 % about two times in three, and within ±10 % nearly always. Two runs must agree
 * within 10 %, so each must be surer than ±10 % alone: stopping at 10 % left a few models' runs apart (and
 * left probes of the budget unspent). `pnpm bench:effective --simulate 50` measures it.
 */
export const FIT_INTERVAL_SHARE = 0.06;
/** Probes placed at the crossing are rounded to this many tokens: finer than any fit can tell. */
const FIT_PROBE_STEP = 256;

/**
 * The curve through every probe that measured recall. A cut prompt (a hard failure) measured none, and sizes
 * at or past the first one are not read: the limit is below it whatever the curve says.
 */
export function fitSamples(samples: readonly FilledSample[], threshold: number): RecallFit | null {
  const cut = Math.min(
    Number.POSITIVE_INFINITY,
    ...samples.filter((sample) => sample.isHardFailure).map((sample) => sample.context),
  );
  const points = samples
    .filter((sample) => !sample.isHardFailure && sample.context < cut)
    .map((sample) => ({ tokens: sample.promptTokens, recalled: sample.recalled, needles: sample.needles }));
  return fitRecallCurve(points, threshold);
}

/**
 * Probes within this share of the limit the fit must have seen before its interval may end the search: a
 * curve shaped by one lucky probe on its slope is surer than it should be.
 */
export const FIT_NEAR_SHARE = 0.1;
export const FIT_NEAR_PROBES = 3;

export function isFitNarrow(fit: RecallFit, samples: readonly FilledSample[]): boolean {
  const near = samples.filter(
    (sample) =>
      !sample.isHardFailure && Math.abs(sample.promptTokens - fit.limit) <= FIT_NEAR_SHARE * fit.limit,
  );
  return near.length >= FIT_NEAR_PROBES && fit.range.high - fit.range.low <= FIT_INTERVAL_SHARE * fit.limit;
}

/**
 * The size to load so that the filled prompt has about `promptTokens` tokens: the window less the answers'
 * reserve, as full as the nearest probe's prompt was, within the sizes measured, rounded.
 */
export function contextAt(promptTokens: number, samples: readonly FilledSample[]): number {
  const measured = samples.filter((sample) => !sample.isHardFailure && sample.promptTokens > 0);
  const nearest = measured.reduce((best, sample) =>
    Math.abs(sample.promptTokens - promptTokens) < Math.abs(best.promptTokens - promptTokens) ? sample : best,
  );
  // The nearest probe's prompt filled this share of its window less the answers' reserve (the model's own
  // tokenizer decides how close to it a prompt comes); the window sought is the one whose prompt then is
  // `promptTokens`. The reserve grows with the window, so a few fixed-point steps find it.
  const filled = nearest.promptTokens / Math.max(1, nearest.context - answerReserve(nearest.context));
  let window = promptTokens / filled;
  for (let step = 0; step < 4; step++) window = promptTokens / filled + answerReserve(window);
  const context = Math.round(window / FIT_PROBE_STEP);
  const sizes = measured.map((sample) => sample.context);
  return Math.min(Math.max(...sizes), Math.max(Math.min(...sizes), context * FIT_PROBE_STEP));
}

/**
 * Where the next probe tells most about the limit, on the fitted curve: of candidate lengths across the sizes
 * measured, the one that leaves the smallest variance of the crossing (the Fisher information of every probe
 * so far plus this one, inverted), a c-optimal choice for one more probe.
 */
export function mostInformativeTokens(
  fit: RecallFit,
  samples: readonly FilledSample[],
  threshold: number,
): number {
  const measured = samples.filter((sample) => !sample.isHardFailure);
  const gradient = (tokens: number): number[] => {
    const base = { plateau: fit.plateau, limit: fit.limit, width: fit.width };
    const steps = [Math.min(1e-4, (1 - fit.plateau) / 2 + 1e-6), fit.width * 1e-3, fit.width * 1e-3];
    const keys = ["plateau", "limit", "width"] as const;
    return keys.map((key, index) => {
      const up = { ...base, [key]: base[key] + steps[index]! };
      const down = { ...base, [key]: base[key] - steps[index]! };
      return (recallAt(tokens, up, threshold) - recallAt(tokens, down, threshold)) / (2 * steps[index]!);
    });
  };
  const information = (tokens: number, needles: number) => {
    const recall = Math.min(0.999, Math.max(0.001, recallAt(tokens, fit, threshold)));
    const g = gradient(tokens);
    return g.map((row) => g.map((column) => (needles * row * column) / (recall * (1 - recall))));
  };
  const add = (a: number[][], b: number[][]) => a.map((row, i) => row.map((value, j) => value + b[i]![j]!));
  let total = [0, 1, 2].map(() => [0, 0, 0]);
  for (const sample of measured) total = add(total, information(sample.promptTokens, sample.needles));
  // A probe at a length asks as many needles as the measured probe nearest to it (the count grows with the window).
  const needlesNear = (tokens: number) =>
    measured.reduce((nearest, sample) =>
      Math.abs(sample.promptTokens - tokens) < Math.abs(nearest.promptTokens - tokens) ? sample : nearest,
    ).needles;
  const low = Math.min(...measured.map((sample) => sample.promptTokens));
  const high = Math.max(...measured.map((sample) => sample.promptTokens));
  let best = fit.limit;
  let bestVariance = Number.POSITIVE_INFINITY;
  for (let index = 0; index <= 40; index++) {
    const tokens = low + ((high - low) * index) / 40;
    const m = add(total, information(tokens, needlesNear(tokens)));
    const variance = limitVariance(m);
    if (variance < bestVariance) {
      bestVariance = variance;
      best = tokens;
    }
  }
  return Math.round(best);
}

/** [M⁻¹] for the limit (the second parameter) of a 3 × 3 information matrix: its cofactor over the determinant. */
function limitVariance(m: number[][]): number {
  const [a, b, c] = m as [number[], number[], number[]];
  const determinant =
    a[0]! * (b[1]! * c[2]! - b[2]! * c[1]!) -
    a[1]! * (b[0]! * c[2]! - b[2]! * c[0]!) +
    a[2]! * (b[0]! * c[1]! - b[1]! * c[0]!);
  const cofactor = a[0]! * c[2]! - a[2]! * c[0]!;
  return determinant > 0 ? cofactor / determinant : Number.POSITIVE_INFINITY;
}
