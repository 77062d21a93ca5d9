import { type ModelShape, sharesKvCache } from "./kv-family";
import type { HostLoad } from "./memory-model";

export interface SiblingFailure {
  modelKey: string;
  /** The smallest size above the model's pass at which the sibling ran out of memory in this run. */
  context: number;
}

/**
 * A failure for lack of memory that another model showed in this run, and that this model is sure to meet at
 * the same size: the sibling shares its KV cache per token (`sharesKvCache`: a quantisation of its base, or the
 * same tensors under its shape) and its weights are no heavier, so at any size this model needs at least what
 * the sibling needed. Above this model's own pass, it closes the search like the model's own failure would (a
 * direct comparison, no memory arithmetic). Only loads of this run count: memory may have changed since an
 * earlier one. `target` is keyed like the loads (by base alone where its shape's models disagree).
 */
export function siblingFailureAbove(
  loads: readonly HostLoad[],
  target: ModelShape & { sizeBytes: number },
  good: number,
): SiblingFailure | null {
  let best: SiblingFailure | null = null;
  for (const load of loads) {
    if (!load.inThisRun || load.passed || !load.memoryFailure || load.requested <= good) continue;
    if (load.modelKey === target.modelKey || load.sizeBytes > target.sizeBytes) continue;
    if (!sharesKvCache(load, target)) continue;
    if (best === null || load.requested < best.context)
      best = { modelKey: load.modelKey, context: load.requested };
  }
  return best;
}
