import { loadFails, loadHangs, resolveFaults } from "./faults.js";
import type { FleetModel } from "./fleet/schema.js";
import { planLoad } from "./load-plan.js";
import { largestFittingContext } from "./memory-footprint.js";

export { fitsInMemory, formatGigabytes, OVERHEAD_BYTES, requiredBytes } from "./memory-footprint.js";

/**
 * The largest applied context of a load that succeeds, over every possible request; with `allowSpill` false,
 * of a load that also stays within memory. Applied contexts are targets (the request rounded and capped) or
 * an auto-fit, and failing/hanging thresholds are monotone, so a few requests cover every case: the largest
 * one that can fit, it rounded down, the silentReduce cap, and one beyond any memory (auto-fit's answer).
 */
function largestSuccessfulLoad(
  model: FleetModel,
  memoryBytes: number,
  loadedBytes: number,
  allowSpill: boolean,
): number {
  const faults = resolveFaults(model);
  if (faults.hangOnLoad) return 0;
  const memory = { memoryBytes, committedBytes: loadedBytes };
  const ceilingBytes =
    allowSpill && faults.spillToRam !== null ? faults.spillToRam * memoryBytes : memoryBytes;
  let bound = largestFittingContext(model, ceilingBytes - loadedBytes, null);
  for (const cap of [faults.loadFailsAbove, faults.hangAbove]) if (cap !== null) bound = Math.min(bound, cap);
  const rounded =
    faults.roundContext === null ? bound : Math.floor(bound / faults.roundContext) * faults.roundContext;
  const candidates = [bound, rounded, faults.silentReduce ?? 0, Number.MAX_SAFE_INTEGER];
  let best = 0;
  for (const requested of candidates.filter((candidate) => candidate >= 1)) {
    const plan = planLoad(model, faults, requested, memory);
    if (plan.outcome !== "loads" || (plan.spillsToSystemMemory && !allowSpill)) continue;
    if (loadHangs(faults, plan.applied) || loadFails(faults, plan.applied)) continue;
    best = Math.max(best, plan.applied);
  }
  return best;
}

/**
 * The exact largest context length that loads successfully, given the machine's memory and the bytes already
 * held by loaded instances (0 when nothing loads at all). It is what the load faults allow of
 * - the memory bound  floor((memoryBytes − loadedBytes − sizeBytes − OVERHEAD_BYTES) / kvBytesPerToken), or
 *   with `spillToRam` F the same bound for F × memoryBytes (a load that spills still loads and answers),
 * - `loadFailsAbove` N and `hangAbove` N (a load above N fails or never finishes),
 * - `silentReduce` N (requests above N succeed but are reduced to N, so N is the most you get),
 * - `roundContext` N (applied contexts are multiples of N), `ignoresRequestedContext` N (every load is N, or
 *   with `autoFit` what fits; 0 when that does not load);
 * `hangOnLoad` makes it 0.
 *
 * The declared `maxContextLength` is not a bound: like llama.cpp, the emulator loads above it if
 * memory allows (answers degrade past `effectiveContext`, which defaults to the declared size).
 */
export function hiddenLoadableLimit(model: FleetModel, memoryBytes: number, loadedBytes = 0): number {
  return largestSuccessfulLoad(model, memoryBytes, loadedBytes, true);
}

/**
 * Like `hiddenLoadableLimit`, but only loads that stay within memory: for a model with `spillToRam`, the
 * largest context above which loads spill into system RAM and run 10× slower. Equal to `hiddenLoadableLimit`
 * for every other model.
 */
export function hiddenInMemoryLimit(model: FleetModel, memoryBytes: number, loadedBytes = 0): number {
  return largestSuccessfulLoad(model, memoryBytes, loadedBytes, false);
}
