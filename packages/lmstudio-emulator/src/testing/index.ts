/**
 * For other packages' tests: fleet models with round numbers for the memory arithmetic, so that a test's
 * expected limits can be worked out by hand (`@lmstrix/lmstudio-emulator/testing`).
 */
import type { FleetModelInput } from "../fleet/schema.js";

export const GiB = 1024 ** 3;
export const KiB = 1024;

/**
 * A 1 GiB LLM with 64 KiB of KV cache per token: in an 8 GiB machine it loads up to
 * (8 − 1 − 0.5 GiB) / 64 KiB = 106,496 tokens (the emulator's `hiddenLoadableLimit`).
 */
export function llm(modelKey: string, extra: Partial<FleetModelInput> = {}): FleetModelInput {
  return {
    modelKey,
    displayName: modelKey,
    type: "llm",
    format: "gguf",
    publisher: "test",
    path: `test/${modelKey}/${modelKey}-Q4_K_M.gguf`,
    sizeBytes: GiB,
    architecture: "llama",
    paramsString: "1B",
    quantization: { name: "Q4_K_M", bits: 4 },
    maxContextLength: 131_072,
    kvBytesPerToken: 64 * KiB,
    ...extra,
  };
}

export function embedding(modelKey: string): FleetModelInput {
  return {
    modelKey,
    type: "embedding",
    format: "gguf",
    path: `test/${modelKey}/${modelKey}-Q8_0.gguf`,
    sizeBytes: 300 * 1024 ** 2,
    maxContextLength: 2_048,
    kvBytesPerToken: 36 * KiB,
  };
}
