import type { FleetFault, FleetModelInput } from "../schema.js";

export const GiB = 1024 ** 3;
const KiB = 1024;

/** One LLM of the built-in fleet, in the short form the model lists use. */
export interface LlmSpec {
  key: string;
  name: string;
  arch: string;
  params: string;
  quant: string;
  bits: number;
  gb: number;
  ctx: number;
  /**
   * KV cache per token (KiB, f16): Llama 3 8B 128, Llama 3.2 3B 112, Llama 3.2 1B 32, Qwen2.5 7B 56,
   * Qwen2.5 3B 36, Qwen2.5 14B 192, Qwen3 8B 144, Qwen3 14B 160, Mistral 7B 128, Mistral Nemo 160,
   * Mistral Small 24B 160, Gemma 3 4B 136, Gemma 3 12B 384, Phi-3.5 mini 384, Llama 2 13B 800.
   */
  kvKiB: number;
  vision?: boolean;
  tools?: boolean;
  effective?: number;
  /** Recall that fades with length (and dips mid-prompt) in a filled check, as real models' does. */
  recall?: FleetModelInput["recall"];
  faults?: FleetFault[];
}

export function llm(spec: LlmSpec): FleetModelInput {
  const [base, variant] = spec.key.split("@") as [string, string | undefined];
  const publisher = spec.key.includes("/")
    ? (base.split("/")[0] ?? "lmstudio-community")
    : "lmstudio-community";
  const file = `${base.replace(/^.*\//, "")}-${(variant ?? spec.quant).toUpperCase()}.gguf`;
  const model: FleetModelInput = {
    modelKey: spec.key,
    displayName: spec.name,
    type: "llm",
    format: "gguf",
    publisher,
    path: `${publisher}/${base.replace(/^.*\//, "")}-GGUF/${file}`,
    sizeBytes: Math.round(spec.gb * GiB),
    architecture: spec.arch,
    paramsString: spec.params,
    quantization: { name: spec.quant, bits: spec.bits },
    vision: spec.vision ?? false,
    trainedForToolUse: spec.tools ?? false,
    maxContextLength: spec.ctx,
    kvBytesPerToken: Math.round(spec.kvKiB * KiB),
  };
  if (spec.effective !== undefined) model.effectiveContext = spec.effective;
  if (spec.recall !== undefined) model.recall = spec.recall;
  if (spec.faults !== undefined) model.faults = spec.faults;
  return model;
}

export function embedding(
  key: string,
  name: string,
  params: string,
  gb: number,
  ctx: number,
  kvKiB: number,
): FleetModelInput {
  const base = key.replace(/^text-embedding-/, "").replace(/@.*$/, "");
  return {
    modelKey: key,
    displayName: name,
    type: "embedding",
    format: "gguf",
    publisher: "lmstudio-community",
    path: `lmstudio-community/${base}-GGUF/${base}-Q8_0.gguf`,
    sizeBytes: Math.round(gb * GiB),
    architecture: key.includes("nomic") ? "nomic-bert" : key.includes("qwen3") ? "qwen3" : "bert",
    paramsString: params,
    quantization: { name: "Q8_0", bits: 8 },
    maxContextLength: ctx,
    kvBytesPerToken: Math.round(kvKiB * KiB),
  };
}
