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
