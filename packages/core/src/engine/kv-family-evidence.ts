import { baseKey, kvFamilyKey } from "./kv-family";
import { calibrate, type HostLoad } from "./memory-model";

/**
 * The host's loads with the shape (architecture and parameter count) kept only where the models of one shape
 * agree on their bytes per token. A shape is no proof of one KV layout (Phi-3.5 mini and Phi-4 mini are both
 * "phi3 3.8B", with other attention heads): a family whose loads contradict one shared figure is split back
 * into its bases, each measured on its own; `split` names those families so the target is keyed alike.
 */
export function withAgreeingFamilies(loads: readonly HostLoad[]): {
  loads: HostLoad[];
  split: ReadonlySet<string>;
} {
  const byFamily = new Map<string, HostLoad[]>();
  for (const load of loads) {
    const key = kvFamilyKey(load);
    byFamily.set(key, [...(byFamily.get(key) ?? []), load]);
  }
  const split = new Set<string>();
  for (const [key, members] of byFamily) {
    if (new Set(members.map((load) => baseKey(load.modelKey))).size < 2) continue;
    const alone = calibrate(members);
    if (!alone.consistent || alone.irregular.has(key)) split.add(key);
  }
  if (split.size === 0) return { loads: [...loads], split };
  return { loads: loads.map((load) => (split.has(kvFamilyKey(load)) ? withoutShape(load) : load)), split };
}

/** A model keyed by its base alone. */
export function withoutShape<T extends HostLoad | { modelKey: string }>(model: T): T {
  return { ...model, architecture: null, params: null };
}
