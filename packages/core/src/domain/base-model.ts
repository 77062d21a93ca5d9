/**
 * Which models are "the same model" across hosts and quantisations. LM Studio keys a downloaded model by its
 * name, optionally prefixed by its publisher (`qwen/qwen3-8b`, as 0.3.x lists models from its catalogue) and
 * suffixed by a quantisation when several files of one model are downloaded (`llama-3.2-3b-instruct@q8_0`).
 * The same file can carry either form on two machines, and two publishers' uploads of one model are the same
 * base model quantised by different people, so neither the publisher nor the suffix is part of the base.
 */

/** The base model of a key: the name without its publisher prefix and `@quant` suffix, lower case. */
export function baseModelKey(modelKey: string): string {
  const withoutQuant = modelKey.includes("@") ? modelKey.slice(0, modelKey.lastIndexOf("@")) : modelKey;
  const name = withoutQuant.slice(withoutQuant.lastIndexOf("/") + 1);
  return (name === "" ? withoutQuant : name).trim().toLowerCase();
}

/**
 * Which quantisation of its base a model is: the key's `@quant` suffix, else the quantisation LM Studio
 * reported for the file, lower case; "" when neither is known. `x@q8_0` on one host and `x` (reported as
 * Q8_0) on another are one variant.
 */
export function modelVariant(modelKey: string, quantization: string | null): string {
  const at = modelKey.lastIndexOf("@");
  const suffix = at >= 0 ? modelKey.slice(at + 1).trim() : "";
  return (suffix !== "" ? suffix : (quantization ?? "")).trim().toLowerCase();
}
