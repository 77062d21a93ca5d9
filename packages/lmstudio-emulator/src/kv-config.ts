import type { KvConfig, KvConfigStack } from "./protocol/schemas.js";

/**
 * Collapses a config stack the way the SDK's `collapseKVStackRaw` does: layers are applied in
 * order, so a later layer (e.g. the SDK's `apiOverride`, pushed last) wins.
 */
export function collapseStack(stack: KvConfigStack): Map<string, unknown> {
  const fields = new Map<string, unknown>();
  for (const layer of stack.layers) {
    for (const { key, value } of layer.config.fields) fields.set(key, value);
  }
  return fields;
}

export function toKvConfig(fields: ReadonlyMap<string, unknown>): KvConfig {
  return { fields: [...fields].map(([key, value]) => ({ key, value })) };
}

export function hasLayer(stack: KvConfigStack, layerName: string): boolean {
  return stack.layers.some((layer) => layer.layerName === layerName);
}
