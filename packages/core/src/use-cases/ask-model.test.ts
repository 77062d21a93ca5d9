import { describe, expect, it } from "vitest";
import { type SimulatedModel, SimulatedRuntime } from "../testing/simulated-runtime";
import { askModel } from "./ask-model";

const GiB = 1024 ** 3;

const model = (overrides: Partial<SimulatedModel> = {}): SimulatedModel => ({
  modelKey: "qwen",
  displayName: "Qwen",
  type: "llm",
  format: "gguf",
  publisher: "qwen",
  path: "qwen/qwen.gguf",
  sizeBytes: 2 * GiB,
  architecture: "qwen",
  quantization: "Q4_K_M",
  params: "4B",
  declaredContext: 32_768,
  vision: false,
  toolUse: false,
  kvBytesPerToken: 64 * 1024,
  ...overrides,
});

describe("askModel", () => {
  it("loads at the context asked, streams the answer, says what was applied, and unloads", async () => {
    const runtime = new SimulatedRuntime({ models: [model({ silentReduce: 8_192 })], memoryBytes: 8 * GiB });
    const fragments: string[] = [];
    const loadedAt: number[] = [];
    const answer = await askModel(runtime, {
      modelKey: "qwen",
      contextLength: 16_384,
      prompt: "Write 'ninety-six' as a number using only digits",
      onLoaded: (handle) => loadedAt.push(handle.contextLength),
      onFragment: (text) => fragments.push(text),
    });
    expect(loadedAt).toEqual([8_192]);
    expect(answer.appliedContext).toBe(8_192);
    expect(fragments.join("")).toContain("96");
    expect(await runtime.listLoaded()).toEqual([]);
  });

  it("unloads the model when the answer fails", async () => {
    const runtime = new SimulatedRuntime({ models: [model({ crashAbove: 1_024 })], memoryBytes: 8 * GiB });
    await expect(
      askModel(runtime, { modelKey: "qwen", contextLength: 4_096, prompt: "hello", onFragment: () => {} }),
    ).rejects.toMatchObject({ category: "MODEL_CRASHED" });
    expect(await runtime.listLoaded()).toEqual([]);
  });
});
