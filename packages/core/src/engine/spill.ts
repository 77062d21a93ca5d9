import type { Observation } from "./search";

/**
 * Without LM Studio's guardrail a load larger than the GPU's memory can still succeed by spilling into system
 * memory; it answers, but many times slower. Such a pass is no comfortable limit: a pass whose prompt or
 * generation speed fell by at least this factor against a smaller passing size of the same model spilled.
 */
export const SPILL_SLOWDOWN = 5;

function sizeOf(observation: Observation): number {
  return observation.applied ?? observation.requested;
}

function isSlower(reference: number | null | undefined, speed: number | null | undefined): boolean {
  return !!reference && !!speed && reference >= SPILL_SLOWDOWN * speed;
}

/**
 * The passes of one model's history that spilled: slower by `SPILL_SLOWDOWN` (prompt or generation tokens/s)
 * than a smaller pass that did not spill itself (the smallest passes are judged first, so a chain of slow
 * passes is compared against the fast one below them).
 */
export function spilledPasses(history: readonly Observation[]): Set<Observation> {
  const passes = history.filter((observation) => observation.passed).sort((a, b) => sizeOf(a) - sizeOf(b));
  const spilled = new Set<Observation>();
  const fast: Observation[] = [];
  for (const pass of passes) {
    const isSpilled = fast.some(
      (reference) =>
        sizeOf(reference) < sizeOf(pass) &&
        (isSlower(reference.genTokensPerSec, pass.genTokensPerSec) ||
          isSlower(reference.promptTokensPerSec, pass.promptTokensPerSec)),
    );
    if (isSpilled) spilled.add(pass);
    else fast.push(pass);
  }
  return spilled;
}

/**
 * The history as the search reads it: a pass that spilled counts as a failure at its size for lack of memory
 * (it did not fit in the GPU's memory), flagged `spilled` so that the end can say so.
 */
export function withSpillsAsFailures(history: readonly Observation[]): Observation[] {
  const spilled = spilledPasses(history);
  if (spilled.size === 0) return [...history];
  return history.map((observation) =>
    spilled.has(observation)
      ? { ...observation, passed: false, memoryFailure: true, spilled: true }
      : observation,
  );
}

/**
 * Whether the history has passes but none at or below `verify`: its smallest pass then has nothing smaller to
 * be compared with, and may have spilled unseen.
 */
export function lacksSpeedReference(
  history: readonly Observation[],
  verify: number,
  isKnownInMemory: (pass: Observation) => boolean = () => false,
): boolean {
  const passes = history.filter((observation) => observation.passed);
  if (passes.length === 0 || passes.some((pass) => sizeOf(pass) <= verify)) return false;
  const smallest = passes.reduce((a, b) => (sizeOf(b) < sizeOf(a) ? b : a));
  return !isKnownInMemory(smallest);
}

/**
 * Generating a token reads the whole model, so on one host generation speed × model size (the memory's
 * bandwidth) is about the same for every load in memory. A pass generating at least half as fast as the
 * host's loads in memory (`decodeBandwidth`, bytes × tokens/s) cannot have spilled (spilling is 5× slower and
 * more): it is its own speed reference.
 */
export function isFastForItsSize(
  pass: Observation,
  sizeBytes: number,
  decodeBandwidth: number | null,
): boolean {
  if (!decodeBandwidth || !pass.genTokensPerSec || sizeBytes <= 0) return false;
  return 2 * pass.genTokensPerSec * sizeBytes >= decodeBandwidth;
}

/**
 * Whether a pass generates `SPILL_SLOWDOWN` times slower than the host's loads in memory for its size: it
 * likely spilled. Likely only (a model may be merely slow), so it proves nothing by itself; it says the speed
 * reference is worth loading now, before the search grows from a pass that may not have fitted.
 */
export function isSlowForItsSize(
  pass: Observation,
  sizeBytes: number,
  decodeBandwidth: number | null,
): boolean {
  if (!decodeBandwidth || !pass.genTokensPerSec || sizeBytes <= 0) return false;
  return SPILL_SLOWDOWN * pass.genTokensPerSec * sizeBytes <= decodeBandwidth;
}
