/**
 * Which models share a KV cache size per token (bytes per token of context). The cache's layout comes from the
 * architecture and its dimensions, not from the weights' quantisation or fine-tuning: the quantisations of one
 * model share it, and so do fine-tunes of one base (Hermes 3 and DeepSeek R1 Distill on Llama 3.1 8B), which
 * LM Studio reports with the same architecture and parameter count.
 */

/** The quantisations of one model share the key before "@" (`qwen/qwen3-14b@q4_k_m` → `qwen/qwen3-14b`). */
export function baseKey(modelKey: string): string {
  const at = modelKey.indexOf("@");
  return at < 0 ? modelKey : modelKey.slice(0, at);
}

/** What LM Studio reports of a model's shape: its architecture ("llama") and parameter count ("8B"). */
export interface ModelShape {
  modelKey: string;
  architecture?: string | null;
  params?: string | null;
}

/**
 * The key of the models that share bytes per token with this one: its architecture and parameter count where
 * the host reports both, its base key otherwise.
 */
export function kvFamilyKey(model: ModelShape): string {
  const architecture = model.architecture?.trim().toLowerCase();
  const params = model.params?.trim().toUpperCase();
  return architecture && params ? `${architecture} ${params}` : baseKey(model.modelKey);
}

/**
 * Models of one shape whose weights differ by at most this share are taken for the same tensors quantised
 * alike (fine-tunes of one base: Hermes 3 and DeepSeek R1 Distill on Llama 3.1 8B). A shape alone is no proof
 * of one KV layout (Mistral 7B and Llama 2 7B are both "llama 7B", their weights 7 % apart).
 */
export const SAME_TENSORS_SIZE_SHARE = 0.01;

/**
 * Whether two models surely share the KV cache per token, so that their loads compare directly (the heavier
 * weights need more memory at every size): quantisations of one base, or models of one shape with the same
 * tensors. Callers key the models of a shape that disagrees with itself by base alone (`withoutShape`).
 */
export function sharesKvCache(
  a: ModelShape & { sizeBytes: number },
  b: ModelShape & { sizeBytes: number },
): boolean {
  if (baseKey(a.modelKey) === baseKey(b.modelKey)) return true;
  const lighter = Math.min(a.sizeBytes, b.sizeBytes);
  const heavier = Math.max(a.sizeBytes, b.sizeBytes);
  return (
    kvFamilyKey(a) === kvFamilyKey(b) && lighter > 0 && lighter >= (1 - SAME_TENSORS_SIZE_SHARE) * heavier
  );
}
