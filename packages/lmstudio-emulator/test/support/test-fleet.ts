import type { FleetInput, FleetModelInput } from "../../src/fleet/schema.js";
import { GiB, KiB, llm as sharedLlm } from "../../src/testing/index.js";

export { GiB, KiB };

/** The shared test LLM, smaller and fast, so tests with timeScale 1 stay quick. */
export function llm(modelKey: string, extra: Partial<FleetModelInput> = {}): FleetModelInput {
  return sharedLlm(modelKey, {
    vision: false,
    trainedForToolUse: true,
    maxContextLength: 32768,
    kvBytesPerToken: 32 * KiB,
    loadSecondsPerGiB: 0.01,
    promptTokensPerSecond: 1_000_000,
    generationTokensPerSecond: 1000,
    ...extra,
  });
}

/** A small fleet with one model per fault and round numbers for the memory arithmetic. */
export const testFleet: FleetInput = {
  memoryBytes: 16 * GiB,
  models: [
    // limit = (16 GiB − 4 GiB − 0.5 GiB) / 128 KiB = 94,208 tokens
    llm("test-8b", {
      sizeBytes: 4 * GiB,
      kvBytesPerToken: 128 * KiB,
      maxContextLength: 131072,
      paramsString: "8B",
    }),
    llm("test-small", { effectiveContext: 16384 }),
    llm("test-slow-stream", { generationTokensPerSecond: 5 }),
    llm("test-cache-null", { faults: ["memoryCacheNull"] }),
    llm("test-not-found", { faults: ["notFoundOnUnload"] }),
    llm("test-crash", { faults: [{ crashAbove: 8192 }] }),
    llm("test-load-fails", { faults: [{ loadFailsAbove: 8192 }] }),
    llm("test-hang", { faults: ["hangOnLoad"] }),
    llm("test-hang-above", { faults: [{ hangAbove: 8192 }] }),
    llm("test-reduce", { faults: [{ silentReduce: 8192 }] }),
    llm("test-slow", { faults: ["slowPrediction"] }),
    llm("test-disconnect", { faults: [{ disconnectAfterLoads: 2 }] }),
    llm("test-truncate", { faults: [{ truncatePromptAbove: 1000 }] }),
    {
      modelKey: "test-embed",
      type: "embedding",
      format: "gguf",
      path: "test/test-embed/test-embed-Q8_0.gguf",
      sizeBytes: 300 * 1024 ** 2,
      maxContextLength: 2048,
      kvBytesPerToken: 36 * KiB,
      quantization: { name: "Q8_0", bits: 8 },
    },
  ],
};
