import { describe, expect, it } from "vitest";
import type { SimulatedModel } from "./simulated-runtime";
import { SimulatedRuntime } from "./simulated-runtime";

const GiB = 1024 ** 3;

function model(overrides: Partial<SimulatedModel> = {}): SimulatedModel {
  return {
    modelKey: "llama-3.1-8b",
    displayName: "Llama 3.1 8B",
    type: "llm",
    format: "gguf",
    publisher: "meta",
    path: "meta/llama-3.1-8b.gguf",
    sizeBytes: 4 * GiB,
    architecture: "llama",
    quantization: "Q4_K_M",
    params: "8B",
    declaredContext: 131_072,
    vision: false,
    toolUse: true,
    kvBytesPerToken: 128 * 1024,
    ...overrides,
  };
}

describe("SimulatedRuntime", () => {
  it("loads up to the hidden memory limit and not one token more", async () => {
    const runtime = new SimulatedRuntime({ models: [model()], memoryBytes: 12 * GiB });
    const limit = runtime.hiddenLoadableLimit("llama-3.1-8b");
    const handle = await runtime.load("llama-3.1-8b", { contextLength: limit });
    expect(handle.contextLength).toBe(limit);
    await runtime.unload(handle);
    await expect(runtime.load("llama-3.1-8b", { contextLength: limit + 1 })).rejects.toMatchObject({
      category: "INSUFFICIENT_RESOURCES",
    });
  });

  it("answers the check prompts, and rambles when the prompt is longer than the effective context", async () => {
    const runtime = new SimulatedRuntime({
      models: [model({ effectiveContext: 8_192 })],
      memoryBytes: 64 * GiB,
    });
    const small = await runtime.load("llama-3.1-8b", { contextLength: 4_096 });
    const reply = await runtime.respond(small, { messages: [{ role: "user", content: "2+3=" }] });
    expect(reply.text).toBe("5");
    await runtime.unload(small);
    const large = await runtime.load("llama-3.1-8b", { contextLength: 16_384 });
    // A short prompt in a large window stays right; a prompt longer than the effective context rambles.
    const short = await runtime.respond(large, { messages: [{ role: "user", content: "2+3=" }] });
    expect(short.text).toBe("5");
    const long = `${"filler ".repeat(9_000)}2+3=`;
    const degraded = await runtime.respond(large, { messages: [{ role: "user", content: long }] });
    expect(degraded.text).not.toMatch(/\b5\b/);
  });

  it("reports the applied context when the host silently loads less", async () => {
    const runtime = new SimulatedRuntime({
      models: [model({ silentReduce: 32_768 })],
      memoryBytes: 64 * GiB,
    });
    const handle = await runtime.load("llama-3.1-8b", { contextLength: 65_536 });
    expect(handle.contextLength).toBe(32_768);
  });

  it("fails the first prediction after a load with a corrupted cache when asked to", async () => {
    const runtime = new SimulatedRuntime({
      models: [model({ memoryCacheNull: true })],
      memoryBytes: 64 * GiB,
    });
    const handle = await runtime.load("llama-3.1-8b", { contextLength: 4_096 });
    await expect(
      runtime.respond(handle, { messages: [{ role: "user", content: "2+3=" }] }),
    ).rejects.toMatchObject({ category: "MEMORY_CACHE_CORRUPTED" });
  });

  it("keeps memory of loaded models until they are unloaded", async () => {
    const runtime = new SimulatedRuntime({
      models: [model(), model({ modelKey: "other", sizeBytes: 6 * GiB })],
      memoryBytes: 12 * GiB,
    });
    await runtime.load("llama-3.1-8b", { contextLength: 8_192 });
    await expect(runtime.load("other", { contextLength: 8_192 })).rejects.toMatchObject({
      category: "INSUFFICIENT_RESOURCES",
    });
    await runtime.unload("llama-3.1-8b");
    await expect(runtime.load("other", { contextLength: 8_192 })).resolves.toMatchObject({
      contextLength: 8_192,
    });
  });

  it("rejects an aborted call as CANCELLED and an unknown model as NOT_FOUND", async () => {
    const runtime = new SimulatedRuntime({ models: [model()], memoryBytes: 64 * GiB });
    await expect(
      runtime.load("llama-3.1-8b", { contextLength: 4_096, signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ category: "CANCELLED" });
    await expect(runtime.load("missing", { contextLength: 4_096 })).rejects.toMatchObject({
      category: "NOT_FOUND",
    });
  });
});
