import { runtimeContractSuite } from "./contract-suite";
import { type SimulatedModel, SimulatedRuntime } from "./simulated-runtime";

const GiB = 1024 ** 3;

const model: SimulatedModel = {
  modelKey: "qwen/qwen3-4b",
  displayName: "Qwen3 4B",
  type: "llm",
  format: "gguf",
  publisher: "qwen",
  path: "qwen/Qwen3-4B-GGUF/Qwen3-4B-Q4_K_M.gguf",
  sizeBytes: Math.round(2.5 * GiB),
  architecture: "qwen3",
  quantization: "Q4_K_M",
  params: "4B",
  declaredContext: 32_768,
  vision: false,
  toolUse: true,
  kvBytesPerToken: 144 * 1024,
};

runtimeContractSuite("SimulatedRuntime", async () => {
  const runtime = new SimulatedRuntime({ models: [model], memoryBytes: 16 * GiB });
  return { runtime, modelKey: model.modelKey, teardown: () => runtime.close() };
});
