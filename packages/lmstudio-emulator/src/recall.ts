import type { FleetModel } from "./fleet/schema.js";

/** A model's fading recall, as written in a fleet file (`recall`), with its defaults filled in. */
export type RecallCurve = NonNullable<FleetModel["recall"]>;

/**
 * Probability that a needle at `depth` (0 = start of the prompt, 1 = end) of a `promptTokens`-token prompt
 * is recalled: `base × (1 − middleDip × sin(π depth)) / (1 + exp((promptTokens − at50) / width))`.
 */
export function recallProbability(curve: RecallCurve, promptTokens: number, depth: number): number {
  const clampedDepth = Math.min(1, Math.max(0, depth));
  const dip = 1 - curve.middleDip * Math.sin(Math.PI * clampedDepth);
  return (curve.base * dip) / (1 + Math.exp((promptTokens - curve.at50) / curve.width));
}

/**
 * Expected recall at `promptTokens`, averaged over needle depths: over the given `depths` (as a prompt places
 * its needles), or over every depth uniformly when none are given (the mean of sin(π d) over 0..1 is 2/π).
 */
export function depthAveragedRecall(
  curve: RecallCurve,
  promptTokens: number,
  depths?: readonly number[],
): number {
  if (depths === undefined) {
    return (
      (curve.base * (1 - (2 / Math.PI) * curve.middleDip)) /
      (1 + Math.exp((promptTokens - curve.at50) / curve.width))
    );
  }
  if (depths.length === 0) throw new Error("depthAveragedRecall: depths must not be empty");
  let total = 0;
  for (const depth of depths) total += recallProbability(curve, promptTokens, depth);
  return total / depths.length;
}

/**
 * The truth a measurement of the effective limit aims at: the largest prompt length (whole tokens) whose
 * depth-averaged expected recall is at least `threshold`; 0 when even a one-token prompt stays below it.
 * Recall falls with length, so this bisects; without a dip it equals ⌊at50 + width × ln(base / threshold − 1)⌋.
 */
export function largestContextWithRecall(
  curve: RecallCurve,
  threshold: number,
  depths?: readonly number[],
): number {
  if (!(threshold > 0 && threshold <= 1)) {
    throw new Error(`largestContextWithRecall: threshold must be in (0, 1], got ${threshold}`);
  }
  const meets = (tokens: number) => depthAveragedRecall(curve, tokens, depths) >= threshold;
  if (!meets(1)) return 0;
  // Recall at any length is below base / (1 + exp((L − at50) / width)), so L* is below where that equals t.
  let high = Math.ceil(curve.at50 + curve.width * Math.log(curve.base / threshold)) + 1;
  while (meets(high)) high *= 2;
  let low = 1;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (meets(middle)) low = middle;
    else high = middle;
  }
  return low;
}
