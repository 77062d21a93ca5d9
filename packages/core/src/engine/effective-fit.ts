/**
 * The effective search's use of the fitted recall curve (recall-fit.ts): which probes it reads, when its
 * interval is narrow enough to stop, and which size to load for the next probe at its crossing.
 */
import type { FilledSample } from "./effective-plan";
import { fitRecallCurve, type RecallFit } from "./recall-fit";

/**
 * The search ends once the fitted interval (±1 standard error) spans at most this share of the limit: the
 * limit is then within ±5 % about two times in three, within ±10 % about 19 times in 20.
 */
export const FIT_INTERVAL_SHARE = 0.1;
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
 * The size to load so that the filled prompt has about `promptTokens` tokens: scaled by the nearest probe's
 * ratio of window to prompt (the answers' reserve), within the sizes measured, rounded.
 */
export function contextAt(promptTokens: number, samples: readonly FilledSample[]): number {
  const measured = samples.filter((sample) => !sample.isHardFailure && sample.promptTokens > 0);
  const nearest = measured.reduce((best, sample) =>
    Math.abs(sample.promptTokens - promptTokens) < Math.abs(best.promptTokens - promptTokens) ? sample : best,
  );
  const context = Math.round((promptTokens * nearest.context) / nearest.promptTokens / FIT_PROBE_STEP);
  const sizes = measured.map((sample) => sample.context);
  return Math.min(Math.max(...sizes), Math.max(Math.min(...sizes), context * FIT_PROBE_STEP));
}
