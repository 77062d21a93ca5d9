import type { FleetModel } from "./fleet/schema.js";

/** Fixed cost of every loaded instance (runtime, compute buffers, scratch), in bytes: 512 MiB. */
export const OVERHEAD_BYTES = 512 * 1024 * 1024;

type MemoryModel = Pick<FleetModel, "sizeBytes" | "kvBytesPerToken">;

/** Memory an instance of `model` holds when loaded at `contextLength` tokens. */
export function requiredBytes(model: MemoryModel, contextLength: number): number {
  return model.sizeBytes + contextLength * model.kvBytesPerToken + OVERHEAD_BYTES;
}

/** LM Studio's guardrail: the load is refused when it would not fit next to what is already loaded. */
export function fitsInMemory(
  model: MemoryModel,
  contextLength: number,
  memoryBytes: number,
  loadedBytes: number,
): boolean {
  return requiredBytes(model, contextLength) + loadedBytes <= memoryBytes;
}

/** "12.34" — bytes in GiB with two decimals, as LM Studio prints memory estimates. */
export function formatGigabytes(bytes: number): string {
  return (bytes / 1024 ** 3).toFixed(2);
}

/** Largest context (a multiple of `multiple` when given) whose instance fits in `freeBytes`; ≤ 0: none. */
export function largestFittingContext(
  model: MemoryModel,
  freeBytes: number,
  multiple: number | null,
): number {
  const fit = Math.floor((freeBytes - model.sizeBytes - OVERHEAD_BYTES) / model.kvBytesPerToken);
  return multiple === null ? fit : Math.floor(fit / multiple) * multiple;
}
