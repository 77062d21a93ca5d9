import { failingSize } from "./applied-context";
import {
  type Bracket,
  closingStepAbove,
  defaultPrecision,
  type Observation,
  type SearchParams,
  type SearchStep,
} from "./search";

/** Smaller powers of two are too close to the verify size to be worth a guess. */
const SMALLEST_ROUND_SIZE = 8_192;

function isRound(size: number): boolean {
  return size >= SMALLEST_ROUND_SIZE && Number.isInteger(Math.log2(size));
}

/**
 * A limit that is not memory's (a crash, a failing or hanging load) most often sits where the model's trained
 * or rope-scaled context ends: a power of two. After such a failure, the power of two below it is tried once
 * before bisecting, and a pass there is confirmed one precision step above it (a failure there, one step below
 * it): two loads instead of a bisection's six or more. A wrong guess costs one load; the end is still a pass and a failure within the
 * precision, so it never costs correctness.
 */
export function roundSizeStep(
  params: SearchParams,
  b: Bracket,
  history: readonly Observation[],
  /** The largest size memory may allow (`Infinity` when nothing says): a guess never goes past it. */
  memoryAllows: number,
): SearchStep | undefined {
  if (b.bad === null) return undefined;
  const failures = history.filter((observation) => !observation.passed);
  const limitingFailure = failures.find((observation) => failingSize(observation) === b.bad);
  if (!limitingFailure || limitingFailure.memoryFailure) return undefined;
  const good = b.good ?? 0;
  // Once: after a power of two failed, only the size just below it (a crash at the trained context itself
  // leaves the limit one token under it), one precision step down, where a pass closes the search.
  if (failures.some((observation) => isRound(failingSize(observation)))) {
    const below = b.bad - (params.precision ?? defaultPrecision(b.bad));
    const isJustBelow = isRound(b.bad) && below > good && below > b.verify;
    return isJustBelow ? { kind: "probe", context: below, phase: "predict" } : undefined;
  }
  const round = 2 ** Math.floor(Math.log2(b.bad - 1));
  if (
    isRound(round) &&
    good < round &&
    round > b.verify &&
    round <= Math.min(params.declared, memoryAllows)
  ) {
    return { kind: "probe", context: round, phase: "bisect" };
  }
  if (isRound(good)) {
    const above = good + closingStepAbove(params, good);
    if (above < b.bad) return { kind: "probe", context: above, phase: "confirm" };
  }
  return undefined;
}
