import { type ModelFaults, targetContextLength } from "./faults.js";
import type { FleetModel } from "./fleet/schema.js";
import { largestFittingContext, OVERHEAD_BYTES, requiredBytes } from "./memory-footprint.js";

type PlannedModel = Pick<FleetModel, "sizeBytes" | "kvBytesPerToken">;

/**
 * What LM Studio does with a load request once it knows the memory situation (before any progress):
 * - `loads`: it loads at `applied` (maybe not what was asked: rounding, an ignored request, silentReduce,
 *   autoFit); `spillsToSystemMemory` when it only fits by spilling into system RAM (`spillToRam`).
 * - `refused`: the guardrail refuses before loading, stating the estimate of `bytes`.
 * - `outOfMemory`: without a guardrail the load runs and fails part-way, when the weights (`stage: "weights"`)
 *   or the KV cache (`stage: "context"`) cannot be allocated.
 * Whether a load that `loads` then stalls or fails (`hangAbove`, `loadFailsAbove`) is decided on `applied`.
 */
export type LoadPlan =
  | { outcome: "loads"; applied: number; bytes: number; spillsToSystemMemory: boolean }
  | { outcome: "refused"; applied: number; bytes: number }
  | { outcome: "outOfMemory"; applied: number; bytes: number; stage: "weights" | "context" };

export interface MemorySituation {
  /** What the simulated machine gives LM Studio. */
  memoryBytes: number;
  /** Held by loaded instances and reserved by loads in progress. */
  committedBytes: number;
}

export function planLoad(
  model: PlannedModel,
  faults: ModelFaults,
  requested: number,
  memory: MemorySituation,
): LoadPlan {
  const target = targetContextLength(faults, requested);
  const bytes = requiredBytes(model, target);
  const freeBytes = memory.memoryBytes - memory.committedBytes;
  if (bytes <= freeBytes) return { outcome: "loads", applied: target, bytes, spillsToSystemMemory: false };
  if (faults.autoFit) {
    const fit = largestFittingContext(model, freeBytes, faults.roundContext);
    // When not even the weights fit, auto-fit has nothing to offer and the guardrail speaks.
    if (fit >= 1) {
      return {
        outcome: "loads",
        applied: fit,
        bytes: requiredBytes(model, fit),
        spillsToSystemMemory: false,
      };
    }
  }
  if (!faults.noGuardrail) return { outcome: "refused", applied: target, bytes };
  const spillBytes = faults.spillToRam === null ? 0 : faults.spillToRam * memory.memoryBytes;
  if (bytes <= spillBytes - memory.committedBytes) {
    return { outcome: "loads", applied: target, bytes, spillsToSystemMemory: true };
  }
  const stage = model.sizeBytes + OVERHEAD_BYTES > freeBytes ? "weights" : "context";
  return { outcome: "outOfMemory", applied: target, bytes, stage };
}
