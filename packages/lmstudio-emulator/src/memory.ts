import { loadFails, loadHangs, resolveFaults } from "./faults.js";
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

/**
 * The exact largest context length that loads successfully, given the machine's memory and the
 * bytes already held by loaded instances (0 when nothing loads at all).
 *
 * It is the minimum of
 * - the memory bound  floor((memoryBytes − loadedBytes − sizeBytes − OVERHEAD_BYTES) / kvBytesPerToken),
 * - `loadFailsAbove` N and `hangAbove` N (a load above N fails or never finishes),
 * - `silentReduce` N (requests above N succeed but are reduced to N, so N is the most you get);
 * `hangOnLoad` makes it 0.
 *
 * The declared `maxContextLength` is not a bound: like llama.cpp, the emulator loads above it if
 * memory allows (answers degrade past `effectiveContext`, which defaults to the declared size).
 */
export function hiddenLoadableLimit(model: FleetModel, memoryBytes: number, loadedBytes = 0): number {
  const faults = resolveFaults(model);
  const free = memoryBytes - loadedBytes - model.sizeBytes - OVERHEAD_BYTES;
  let limit = Math.floor(free / model.kvBytesPerToken);
  for (const cap of [faults.loadFailsAbove, faults.hangAbove, faults.silentReduce]) {
    if (cap !== null) limit = Math.min(limit, cap);
  }
  if (limit < 1) return 0;
  // Guard the closed form against the fault predicates the loader really uses.
  if (loadHangs(faults, limit) || loadFails(faults, limit)) return 0;
  return limit;
}

/** "12.34" — bytes in GiB with two decimals, as LM Studio prints memory estimates. */
export function formatGigabytes(bytes: number): string {
  return (bytes / 1024 ** 3).toFixed(2);
}
