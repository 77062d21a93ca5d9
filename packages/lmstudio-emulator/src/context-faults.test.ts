import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { contextFaultFleet } from "../test/support/context-fault-fleet.js";
import { createStrictClient, errorOf, type StrictClient } from "../test/support/strict-client.js";
import { type Emulator, startEmulator } from "./server.js";

let emulator: Emulator;
let sdk: StrictClient;

beforeEach(async () => {
  emulator = await startEmulator({ fleet: contextFaultFleet, timeScale: 0 });
  sdk = createStrictClient(emulator.url);
});

afterEach(async () => {
  await sdk.dispose();
  await emulator.close();
  expect(sdk.problems).toEqual([]);
});

const load = (key: string, contextLength: number, onProgress?: (progress: number) => void) =>
  sdk.client.llm.load(key, { config: { contextLength }, verbose: false, ...(onProgress && { onProgress }) });

/** The context the SDK reads back after a load of `requested`, unloading again. */
async function appliedFor(key: string, requested: number): Promise<number> {
  const llm = await load(key, requested);
  const applied = await llm.getContextLength();
  await llm.unload();
  return applied;
}

const GUARDRAIL = "Model loading was stopped due to insufficient system resources";

describe("roundContext", () => {
  test("the applied context is the request rounded up to a multiple of N, as getContextLength() says", async () => {
    expect(await appliedFor("round", 40_000)).toBe(40_192);
    expect(await appliedFor("round", 40_192)).toBe(40_192);
    expect(await appliedFor("round", 1)).toBe(256);
    const llm = await load("round", 4_097);
    expect((await llm.getModelInfo()).contextLength).toBe(4_352);
    expect(emulator.state.loaded).toMatchObject([{ requestedContextLength: 4_097, contextLength: 4_352 }]);
  });

  test("the guardrail judges the rounded size: a request that fits can be refused once rounded", async () => {
    expect(await appliedFor("round", 94_208)).toBe(94_208);
    const error = await errorOf(load("round", 94_000 + 209));
    // 94,209 → 94,464 tokens: 4 GiB + 94,464 × 128 KiB + 0.5 GiB = 16.03 GiB.
    expect(error.message).toContain(
      `${GUARDRAIL}. Under the current settings, this model requires approximately 16.03 GB`,
    );
  });
});

describe("ignoresRequestedContext", () => {
  test("the flag loads the declared context whatever is asked; the SDK sees it", async () => {
    for (const requested of [1_000, 4_096, 100_000])
      expect(await appliedFor("ignores", requested)).toBe(32_768);
    const llm = await load("ignores", 2_048);
    expect(emulator.state.loaded).toMatchObject([{ requestedContextLength: 2_048, contextLength: 32_768 }]);
    // The window really is that large: a prompt longer than the request is answered.
    const reply = await llm.complete(`${"word ".repeat(3_000)}2+3=`, { maxTokens: 5 });
    expect(reply.content).toBe("5");
  });

  test("N loads N; a load without a context length too", async () => {
    expect(await appliedFor("ignores-at", 4_096)).toBe(12_345);
    expect(await appliedFor("ignores-at", 50_000)).toBe(12_345);
    const llm = await sdk.client.llm.load("ignores-at", { verbose: false });
    expect(await llm.getContextLength()).toBe(12_345);
  });

  test("only while memory allows: next to a large instance the load of N is refused", async () => {
    await load("plain-8b", 80_000); // 4 + 9.77 + 0.5 GiB of 16
    const error = await errorOf(load("ignores", 1_000));
    // 32,768 × 32 KiB + 1 GiB + 0.5 GiB = 2.50 GiB, whatever was asked.
    expect(error.message).toContain("this model requires approximately 2.50 GB of memory");
  });
});

describe("autoFit", () => {
  test("a load above what fits is applied at the largest context that fits, without an error", async () => {
    expect(await appliedFor("auto-fit", 131_072)).toBe(94_208);
    expect(await appliedFor("auto-fit", 50_000)).toBe(50_000);
    expect(emulator.state.counters).toMatchObject({ loadsSucceeded: 2, loadsFailed: 0 });
  });

  test("what fits is counted next to what is loaded", async () => {
    await load("plain-8b", 20_480); // 4 + 2.5 + 0.5 GiB: 9 GiB remain
    const llm = await load("auto-fit", 131_072);
    expect(await llm.getContextLength()).toBe(36_864); // (9 − 4 − 0.5 GiB) / 128 KiB
    expect(emulator.state.loadedBytes).toBe(16 * 1024 ** 3);
  });

  test("with roundContext the fit is rounded down, so that it still fits", async () => {
    expect(await appliedFor("auto-fit-round", 200_000)).toBe(120_576);
    expect(await appliedFor("auto-fit-round", 100_001)).toBe(100_096);
  });

  test("a fitted size above loadFailsAbove still fails as that fault says", async () => {
    const error = await errorOf(load("auto-fit-fails", 131_072)); // fitted to 94,208 > 90,000
    expect(error.message).toContain("Failed to load model");
    expect(error.message).toContain("Exit code: 18446744072635812000");
    expect(await appliedFor("auto-fit-fails", 90_000)).toBe(90_000);
  });
});

describe("noGuardrail", () => {
  test("a load above memory is not refused: it fails after progress with CUDA's out-of-memory text", async () => {
    const progress: number[] = [];
    const error = await errorOf(load("no-guardrail", 100_000, (value) => progress.push(value)));
    expect(progress.at(-1)).toBe(0.8); // the weights are in; the KV cache is allocated last
    expect(error.message).toContain("Failed to load model");
    // 100,000 × 128 KiB = 12,500 MiB of KV cache.
    expect(error.message).toContain(
      "ggml_backend_cuda_buffer_type_alloc_buffer: allocating 12500.00 MiB on device 0: cudaMalloc failed: out of memory",
    );
    expect(error.message).toContain(
      "alloc_tensor_range: failed to allocate CUDA0 buffer of size 13107200000",
    );
    expect(error.message).toContain("failed to allocate buffer for kv cache");
    expect(error.message).not.toContain(GUARDRAIL);
    expect(emulator.state.loaded).toEqual([]);
    expect(emulator.state.loadedBytes).toBe(0);
    expect(emulator.state.counters).toMatchObject({ loadsFailed: 1, concurrentLoads: 0 });
    expect(await appliedFor("no-guardrail", 94_208)).toBe(94_208);
  });

  test("weights that do not fit fail earlier, while the tensors load", async () => {
    const progress: number[] = [];
    const error = await errorOf(load("no-guardrail-huge", 4_096, (value) => progress.push(value)));
    expect(progress.at(-1)).toBe(0.2);
    expect(error.message).toContain("allocating 20480.00 MiB on device 0: cudaMalloc failed: out of memory");
    expect(error.message).toContain("llama_model_load: error loading model: unable to allocate CUDA0 buffer");
  });

  test("an MLX (safetensors) model fails with Metal's out-of-memory text", async () => {
    const error = await errorOf(load("no-guardrail-mlx", 100_000));
    expect(error.message).toContain(
      "[METAL] Command buffer execution failed: Insufficient Memory (00000008:kIOGPUCommandBufferCallbackErrorOutOfMemory)",
    );
  });
});

describe("spillToRam", () => {
  test("above memory a load succeeds up to F × memory, and predicts 10× slower", async () => {
    const inMemory = await load("spills", 90_000);
    const fast = (await inMemory.respond("2+3=")).stats;
    await inMemory.unload();

    const spilled = await load("spills", 200_000);
    expect(await spilled.getContextLength()).toBe(200_000);
    expect(emulator.state.loaded).toMatchObject([{ contextLength: 200_000, spillsToSystemMemory: true }]);
    const slow = await spilled.respond("2+3=");
    expect(slow.content).toBe("5");
    expect(fast.tokensPerSecond).toBe(50);
    expect(slow.stats.tokensPerSecond).toBe(5);
    // Prompt processing slows as much: the time to the first token is 10× too.
    expect(slow.stats.timeToFirstTokenSec).toBeCloseTo((fast.timeToFirstTokenSec ?? 0) * 10, 2);
    await spilled.unload();

    expect(await appliedFor("spills", 225_280)).toBe(225_280);
    const error = await errorOf(load("spills", 225_281));
    expect(error.message).toContain("cudaMalloc failed: out of memory");
  });

  test("a load that fits in memory does not spill and keeps its speed", async () => {
    await load("spills", 94_208);
    expect(emulator.state.loaded).toMatchObject([{ spillsToSystemMemory: false }]);
  });
});

describe("faults combined", () => {
  test("an ignored request above hangAbove stalls, whatever was asked", async () => {
    const controller = new AbortController();
    const progress: number[] = [];
    const error = await errorOf(
      sdk.client.llm.load("ignores-hangs", {
        config: { contextLength: 4_096 },
        verbose: false,
        signal: controller.signal,
        onProgress: (value) => {
          progress.push(value);
          if (value === 0.999) controller.abort(new Error("stalled"));
        },
      }),
    );
    expect(error.message).toBe("stalled");
    expect(progress.at(-1)).toBe(0.999);
    await vi.waitFor(() => expect(emulator.state.counters.concurrentLoads).toBe(0));
    expect(emulator.state.loaded).toEqual([]);
  });

  test("rounding happens before silentReduce caps the result", async () => {
    expect(await appliedFor("round-reduce", 40_001)).toBe(41_000);
    expect(await appliedFor("round-reduce", 50_001)).toBe(50_500);
  });
});
