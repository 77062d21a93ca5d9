import type { Observation } from "./search";

/**
 * What LM Studio did with the context it was asked for. Builds differ: 0.3 applies the request exactly, 0.4.23
 * rounds it up (40,000 → 40,192), some builds fit it silently to memory (less than asked) and some ignore it
 * altogether (asked for 4,096, loaded 165,120). The search reads each load by what was applied.
 */

/** Rounding up by less than this many tokens (or `ROUNDING_SHARE` of the request, if more) is rounding. */
export const ROUNDING_TOKENS = 1_024;
export const ROUNDING_SHARE = 0.01;

/**
 * Whether `applied` is `requested` rounded up: then a pass is a pass at the request (credited at what was
 * applied, which is what it proves). 1,024 tokens or 1 % covers every rounding seen (to 256 in 0.4.23) and
 * stays far below the sizes of an ignored request (the declared context, or 165,120 for 4,096).
 */
export function isWithinRounding(requested: number, applied: number): boolean {
  return applied >= requested && applied - requested < Math.max(ROUNDING_TOKENS, requested * ROUNDING_SHARE);
}

/** A load that LM Studio grew far beyond the request: the request was not what it loaded. */
export function isGrownBeyondRounding(observation: Observation): boolean {
  const { applied, requested } = observation;
  return applied !== null && applied > requested && !isWithinRounding(requested, applied);
}

/**
 * The size a failure proves bad. A load that was applied below its request (fitted to memory) and then failed
 * its check failed at the applied size: every request above it would be fitted to the same size again.
 */
export function failingSize(observation: Observation): number {
  const { applied, requested } = observation;
  return applied !== null && applied < requested ? applied : requested;
}

/**
 * The size LM Studio loads whatever is asked, once two loads at different requests were applied at the same N
 * and at least one was grown to it beyond rounding (two loads capped at one size are a cap, not this: a cap
 * ends the search by itself). `null` while the loads do not show it.
 */
export function ignoredRequestSize(history: readonly Observation[]): number | null {
  for (const grown of history.filter(isGrownBeyondRounding)) {
    const other = history.find(
      (observation) => observation.applied === grown.applied && observation.requested !== grown.requested,
    );
    if (other) return grown.applied;
  }
  return null;
}

function greatestCommonDivisor(a: number, b: number): number {
  return b === 0 ? a : greatestCommonDivisor(b, a % b);
}

/**
 * The step LM Studio rounds requests up to on this host, read from the loads it rounded (applied a little
 * above the request): the greatest common divisor of those applied sizes, or null when none was rounded.
 */
export function hostRounding(loads: readonly { requested: number; applied: number | null }[]): number | null {
  let step: number | null = null;
  for (const { requested, applied } of loads) {
    if (applied === null || applied <= requested || !isWithinRounding(requested, applied)) continue;
    step = step === null ? applied : greatestCommonDivisor(step, applied);
  }
  return step !== null && step > 1 ? step : null;
}

/** The size a request is loaded at on a host that rounds up to multiples of `step`. */
export function roundedUp(requested: number, step: number | null): number {
  return step === null ? requested : Math.ceil(requested / step) * step;
}
