import type { FleetFault, FleetInput, FleetModelInput } from "@lmstrix/lmstudio-emulator";

const GiB = 1024 ** 3;

/** A small model that loads at 4096 and answers: the contract suite's model. */
export const HEALTHY_KEY = "test/healthy-1b";

/** One 1 GiB model per fault, each alone in the fleet's 8 GiB (so a 200K context does not fit). */
export const FAULTY_KEYS = {
  cacheNull: "test/cache-null-1b",
  notFoundOnUnload: "test/unload-not-found-1b",
  crashes: "test/crash-above-8k-1b",
  loadFails: "test/load-fails-above-8k-1b",
  hangs: "test/hang-on-load-1b",
  reduces: "test/silent-reduce-2k-1b",
  drops: "test/disconnect-after-load-1b",
  /** Guardrail off: a load above memory fails late with llama.cpp's CUDA out-of-memory text. */
  outOfMemory: "test/no-guardrail-1b",
  /** The same as an MLX model, failing with Metal's text. */
  outOfMemoryMlx: "test/no-guardrail-mlx-1b",
} as const;

export const TEST_MEMORY_BYTES = 8 * GiB;

function model(
  modelKey: string,
  faults: FleetFault[] = [],
  format: FleetModelInput["format"] = "gguf",
): FleetModelInput {
  const file = modelKey.replace(/^test\//, "");
  return {
    modelKey,
    displayName: file,
    type: "llm",
    format,
    publisher: "test",
    path: `test/${file}-GGUF/${file}-Q4_K_M.gguf`,
    sizeBytes: GiB,
    architecture: "llama",
    paramsString: "1B",
    quantization: { name: "Q4_K_M", bits: 4 },
    trainedForToolUse: true,
    maxContextLength: 32_768,
    kvBytesPerToken: 32 * 1024,
    faults,
  };
}

export const TEST_FLEET: FleetInput = {
  memoryBytes: TEST_MEMORY_BYTES,
  models: [
    model(HEALTHY_KEY),
    model(FAULTY_KEYS.cacheNull, ["memoryCacheNull"]),
    model(FAULTY_KEYS.notFoundOnUnload, ["notFoundOnUnload"]),
    model(FAULTY_KEYS.crashes, [{ crashAbove: 8192 }]),
    model(FAULTY_KEYS.loadFails, [{ loadFailsAbove: 8192 }]),
    model(FAULTY_KEYS.hangs, ["hangOnLoad"]),
    model(FAULTY_KEYS.reduces, [{ silentReduce: 2048 }]),
    model(FAULTY_KEYS.drops, [{ disconnectAfterLoads: 1 }]),
    model(FAULTY_KEYS.outOfMemory, ["noGuardrail"]),
    model(FAULTY_KEYS.outOfMemoryMlx, ["noGuardrail"], "safetensors"),
    {
      modelKey: "test/embed-small",
      displayName: "Embed small",
      type: "embedding",
      format: "gguf",
      path: "test/embed-small-GGUF/embed-small-Q8_0.gguf",
      sizeBytes: GiB / 8,
      maxContextLength: 2048,
      kvBytesPerToken: 1024,
    },
  ],
};
