import type { FleetModelInput } from "@lmstrix/lmstudio-emulator";

/** Building blocks for the stress specs' emulator fleets. */

export const GiB = 1024 ** 3;

/**
 * A 1 GiB GGUF LLM with 64 KiB of KV cache per token, stored under `folder/`; `extra` sets any other field.
 * The KV size makes a fleet's memory limit easy to work out.
 */
export function llm(folder: string, modelKey: string, extra: Partial<FleetModelInput> = {}): FleetModelInput {
  return {
    modelKey,
    type: "llm",
    format: "gguf",
    path: `${folder}/${modelKey}/${modelKey}-Q4_K_M.gguf`,
    sizeBytes: GiB,
    maxContextLength: 8_192,
    kvBytesPerToken: 64 * 1024,
    ...extra,
  };
}
