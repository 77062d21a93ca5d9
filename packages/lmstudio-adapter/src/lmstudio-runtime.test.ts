import { isRuntimeError } from "@lmstrix/core";
import { EMULATED_LM_STUDIO_VERSION, type Emulator, startEmulator } from "@lmstrix/lmstudio-emulator";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createStrictSdkLogger, type StrictSdkLogger } from "../test/support/strict-sdk-logger";
import { HEALTHY_KEY, TEST_FLEET } from "../test/support/test-fleet";
import { TEST_TIMEOUTS } from "../test/support/test-timeouts";
import { createLmStudioRuntime } from "./create-runtime";
import type { LmStudioRuntime } from "./lmstudio-runtime";

describe("LM Studio adapter against the emulator", () => {
  let emulator: Emulator;
  let logger: StrictSdkLogger;
  let runtime: LmStudioRuntime;

  beforeEach(async () => {
    emulator = await startEmulator({ port: 0, fleet: TEST_FLEET, timeScale: 0 });
    logger = createStrictSdkLogger();
    runtime = createLmStudioRuntime({ url: emulator.url, timeouts: TEST_TIMEOUTS, logger });
  });

  afterEach(async () => {
    await runtime.close();
    await emulator.close();
    logger.assertNoProtocolWarnings();
  });

  it("maps downloaded models as the host types them", async () => {
    const models = await runtime.listModels();
    expect(models).toHaveLength(TEST_FLEET.models.length);
    expect(models.find((model) => model.modelKey === HEALTHY_KEY)).toEqual({
      modelKey: HEALTHY_KEY,
      displayName: "healthy-1b",
      type: "llm",
      format: "gguf",
      publisher: "test",
      path: "test/healthy-1b-GGUF/healthy-1b-Q4_K_M.gguf",
      sizeBytes: 1024 ** 3,
      architecture: "llama",
      quantization: "Q4_K_M",
      params: "1B",
      declaredContext: 32_768,
      vision: false,
      toolUse: true,
    });
    expect(models.find((model) => model.modelKey === "test/embed-small")).toMatchObject({
      type: "embedding",
      declaredContext: 2048,
    });
  });

  it("reports the host's version and build", async () => {
    expect(await runtime.version()).toEqual(EMULATED_LM_STUDIO_VERSION);
  });

  it("lists instances loaded by other clients too", async () => {
    const other = createLmStudioRuntime({ url: emulator.url, timeouts: TEST_TIMEOUTS, logger });
    try {
      const handle = await other.load(HEALTHY_KEY, { contextLength: 8192 });
      expect(await runtime.listLoaded()).toEqual([
        { modelKey: HEALTHY_KEY, identifier: handle.identifier, contextLength: 8192 },
      ]);
      await runtime.unload(handle.identifier);
      expect(await other.listLoaded()).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it("gives each load its own identifier, so two instances of a model can coexist", async () => {
    const first = await runtime.load(HEALTHY_KEY, { contextLength: 4096 });
    const second = await runtime.load(HEALTHY_KEY, { contextLength: 2048 });
    expect(first.identifier).not.toBe(second.identifier);
    expect(first.identifier.startsWith(`${HEALTHY_KEY}:`)).toBe(true);
    expect(await runtime.countTokens(second, "2+3=")).toBe(4);
    await runtime.unload(first);
    await runtime.unload(second);
  });

  it("reports load progress between 0 and 1, ending at 1", async () => {
    const progress: number[] = [];
    const handle = await runtime.load(HEALTHY_KEY, {
      contextLength: 4096,
      onProgress: (p) => progress.push(p),
    });
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toBe(1);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    await runtime.unload(handle);
  });

  it("maps prediction stats, deriving prompt speed from the time to first token", async () => {
    const handle = await runtime.load(HEALTHY_KEY, { contextLength: 4096 });
    const { stats } = await runtime.respond(handle, { messages: [{ role: "user", content: "2+3=" }] });
    expect(stats.stopReason).toBe("eosFound");
    expect(stats.promptTokens).toBeGreaterThan(0);
    expect(stats.predictedTokens).toBeGreaterThan(0);
    expect(stats.timeToFirstTokenMs).toBeGreaterThan(0);
    expect(stats.tokensPerSecond).toBeGreaterThan(0);
    expect(stats.promptTokensPerSecond).toBeCloseTo(stats.promptTokens! / (stats.timeToFirstTokenMs! / 1000));
    await runtime.unload(handle);
  });

  it("stops at maxTokens", async () => {
    const handle = await runtime.load(HEALTHY_KEY, { contextLength: 4096 });
    const response = await runtime.respond(handle, {
      messages: [{ role: "user", content: "Tell me a long story about a lighthouse keeper." }],
      maxTokens: 3,
    });
    expect(response.stats).toMatchObject({ stopReason: "maxPredictedTokensReached", predictedTokens: 3 });
    await runtime.unload(handle);
  });

  it("reports a prompt longer than the loaded context as CONTEXT_OVERFLOW", async () => {
    const handle = await runtime.load(HEALTHY_KEY, { contextLength: 64 });
    const error = await runtime
      .respond(handle, { messages: [{ role: "user", content: "word ".repeat(200) }] })
      .catch((caught: unknown) => caught);
    expect(isRuntimeError(error) && error.category).toBe("CONTEXT_OVERFLOW");
    await runtime.unload(handle);
  });

  it("close() cancels calls in flight and refuses new ones", async () => {
    const pending = runtime
      .load("test/hang-on-load-1b", { contextLength: 4096 })
      .catch((caught: unknown) => caught);
    await vi.waitFor(() => expect(emulator.state.counters.concurrentLoads).toBe(1));
    await runtime.close();
    expect(isRuntimeError(await pending) && ((await pending) as { category: string }).category).toBe(
      "CANCELLED",
    );
    const after = await runtime.listModels().catch((caught: unknown) => caught);
    expect(isRuntimeError(after) && after.category).toBe("CANCELLED");
    // The closed sockets stopped the stalled load on the host.
    await vi.waitFor(() => expect(emulator.state.counters.concurrentLoads).toBe(0));
  });

  it("the estimate is null: SDK 1.5 has no memory estimate", async () => {
    expect(await runtime.estimate(HEALTHY_KEY, 4096)).toBeNull();
  });
});

describe("createLmStudioRuntime", () => {
  it("rejects URLs that are not WebSocket URLs, and bad timeouts", () => {
    expect(() => createLmStudioRuntime({ url: "http://127.0.0.1:1234" })).toThrow(TypeError);
    expect(() => createLmStudioRuntime({ url: "ws://127.0.0.1:1234", timeouts: { loadMs: 0 } })).toThrow(
      RangeError,
    );
  });

  it("keeps the SDK off the console when no logger is given", async () => {
    const spies = (["log", "info", "warn", "error", "debug"] as const).map((method) =>
      vi.spyOn(console, method).mockImplementation(() => undefined),
    );
    const runtime = createLmStudioRuntime({ url: "ws://127.0.0.1:9" });
    try {
      const error = await runtime.version().catch((caught: unknown) => caught);
      expect(isRuntimeError(error) && error.category).toBe("UNREACHABLE");
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
      expect(runtime.recentSdkWarnings().join("\n")).toContain("ECONNREFUSED");
    } finally {
      await runtime.close();
      for (const spy of spies) spy.mockRestore();
    }
  });
});
