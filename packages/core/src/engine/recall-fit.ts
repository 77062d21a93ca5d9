/**
 * A smooth recall curve through every filled probe of a model, by maximum likelihood: recall averaged over a
 * probe's needle depths is taken as a logistic fall with length, r(L) = plateau / (1 + exp((L − at50) / width)),
 * and each needle as recalled or not with that probability (binomial per probe). One probe's needles say
 * little (16 of them ±9 %, 256 ±2 %); the curve pools all of them, so the size where it crosses the threshold is known far better
 * than any single pass or fail could show. Real models are not exactly logistic: the fit is a smoothing of the
 * measured points, trusted between them and never past them (the limit is clamped to the sizes measured).
 */
import { nelderMead } from "../util/nelder-mead";

/** One filled probe as the fit reads it: the prompt's length and how many of its needles came back. */
export interface RecallPoint {
  tokens: number;
  recalled: number;
  needles: number;
}

export interface RecallFit {
  /** Recall of short prompts: the model's base recall times its mean loss over the probe's depths. */
  plateau: number;
  /** Prompt tokens where recall falls to half the plateau. */
  at50: number;
  /** Tokens over which recall falls by a factor e in the logistic's odds. */
  width: number;
  /** Prompt tokens where the fitted curve crosses the threshold, clamped to the sizes measured. */
  limit: number;
  /** Where the crossing lies, ±1 standard error: the profile likelihood's interval (deviance ≤ 1). */
  range: { low: number; high: number };
  /** The prompt lengths the curve was fitted across: it is trusted between them, never past them. */
  measured: { low: number; high: number };
}

/** A fitted width below this share of the largest size measured is a cliff the points cannot shape. */
export const MIN_FIT_WIDTH_SHARE = 0.01;
/** A plateau this close to the threshold crosses it anywhere along a flat curve: no limit can be read off. */
export const MIN_PLATEAU_MARGIN = 0.01;
/** Deviance of the interval: 1 is about ±1 standard error (68 %). */
const INTERVAL_DEVIANCE = 1;
const WIDTH_FLOOR_SHARE = MIN_FIT_WIDTH_SHARE / 4;
const SMALLEST_PROBABILITY = 1e-9;

const sigmoid = (value: number) => 1 / (1 + Math.exp(-value));
const logit = (share: number) => Math.log(share / (1 - share));

/**
 * The curve in terms of what is asked for: `limit` (where it crosses `threshold`), `plateau`, `width`. The
 * logistic in at50 is the same curve: at50 = limit − width × ln(plateau / threshold − 1).
 */
export function recallAt(
  tokens: number,
  curve: { plateau: number; limit: number; width: number },
  threshold: number,
): number {
  const exponent = Math.min(700, (tokens - curve.limit) / curve.width);
  return curve.plateau / (1 + (curve.plateau / threshold - 1) * Math.exp(exponent));
}

/** Fits the curve to the points; null when they cannot shape it (too few sizes, a cliff, a flat plateau). */
export function fitRecallCurve(points: readonly RecallPoint[], threshold: number): RecallFit | null {
  const measured = points.filter((point) => point.needles > 0);
  const sizes = [...new Set(measured.map((point) => point.tokens))].sort((a, b) => a - b);
  if (sizes.length < 3 || threshold >= 1) return null;
  const smallest = sizes[0]!;
  const largest = sizes.at(-1)!;
  const recallOf = (tokens: number) => {
    const here = measured.filter((point) => point.tokens === tokens);
    return here.reduce((sum, p) => sum + p.recalled, 0) / here.reduce((sum, p) => sum + p.needles, 0);
  };
  // Only a curve that passes somewhere and fails somewhere has a crossing to find.
  if (!sizes.some((tokens) => recallOf(tokens) < threshold)) return null;
  if (!sizes.some((tokens) => recallOf(tokens) >= threshold)) return null;

  // Parameters scaled to order one: plateau between the threshold and 1 (as a logit), limit and width in
  // shares of the largest size (the width as a logarithm, above a floor).
  const scale = largest;
  const floor = Math.log(WIDTH_FLOOR_SHARE);
  const curveOf = ([plateauLogit, limitShare, widthLog]: readonly number[]) => ({
    plateau: threshold + (1 - threshold) * sigmoid(Math.max(-12, Math.min(12, plateauLogit!))),
    limit: limitShare! * scale,
    width: Math.exp(Math.max(floor, Math.min(Math.log(2), widthLog!))) * scale,
  });
  const negativeLogLikelihood = (parameters: readonly number[]) => {
    const curve = curveOf(parameters);
    let total = 0;
    for (const point of measured) {
      const recall = Math.min(
        1 - SMALLEST_PROBABILITY,
        Math.max(SMALLEST_PROBABILITY, recallAt(point.tokens, curve, threshold)),
      );
      total -= point.recalled * Math.log(recall) + (point.needles - point.recalled) * Math.log(1 - recall);
    }
    // Out of bounds the curve stops changing; a slope towards the bounds keeps the simplex from drifting.
    const [plateauLogit, , widthLog] = parameters;
    const excess =
      Math.max(0, Math.abs(plateauLogit!) - 12) + Math.max(0, floor - widthLog!, widthLog! - Math.log(2));
    return total + excess * excess;
  };

  // Several starts (every gap between measured sizes, a narrow and a wide width): the likelihood of a
  // logistic can have a ridge, and the best of a few deterministic starts is the maximum in practice.
  const top = Math.min(0.995, Math.max(threshold + 0.01, recallOf(smallest)));
  const plateauStart = logit((top - threshold) / (1 - threshold));
  let best = { point: [plateauStart, 0.5, Math.log(0.1)], value: Number.POSITIVE_INFINITY };
  for (const [index, low] of sizes.slice(0, -1).entries()) {
    const limitStart = (low + sizes[index + 1]!) / 2 / scale;
    for (const widthShare of [0.03, 0.15]) {
      const found = nelderMead(
        negativeLogLikelihood,
        [plateauStart, limitStart, Math.log(widthShare)],
        [1, 0.05, 0.5],
      );
      if (found.value < best.value) best = found;
    }
  }
  const fitted = curveOf(best.point);
  if (fitted.width < MIN_FIT_WIDTH_SHARE * scale) return null;
  if (fitted.plateau - threshold < MIN_PLATEAU_MARGIN) return null;

  // The profile likelihood of the limit: the best curve through each candidate crossing, against the best
  // of all; the interval is where the data make it no worse than deviance 1.
  const deviance = (limit: number) => {
    const [plateauLogit, , widthLog] = best.point;
    const profile = nelderMead(
      ([p, w]) => negativeLogLikelihood([p!, limit / scale, w!]),
      [plateauLogit!, widthLog!],
      [0.5, 0.3],
      { iterations: 200 },
    );
    return 2 * (profile.value - best.value);
  };
  const limit = Math.min(largest, Math.max(smallest, fitted.limit));
  const edge = (far: number) => {
    if (deviance(far) <= INTERVAL_DEVIANCE) return far;
    let inside = limit;
    let outside = far;
    while (Math.abs(outside - inside) > Math.max(1, 0.002 * limit)) {
      const middle = (inside + outside) / 2;
      if (deviance(middle) <= INTERVAL_DEVIANCE) inside = middle;
      else outside = middle;
    }
    return inside;
  };
  return {
    plateau: fitted.plateau,
    at50: fitted.limit - fitted.width * Math.log(fitted.plateau / threshold - 1),
    width: fitted.width,
    limit: Math.round(limit),
    range: { low: Math.round(edge(smallest)), high: Math.round(edge(largest)) },
    measured: { low: smallest, high: largest },
  };
}
