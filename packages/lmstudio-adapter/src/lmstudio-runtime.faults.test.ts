import { createServer, type Socket } from "node:net";
import { isRuntimeError, type ModelHandle, type RuntimeErrorCategory } from "@lmstrix/core";
import { type Emulator, startEmulator } from "@lmstrix/lmstudio-emulator";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createStrictSdkLogger, type StrictSdkLogger } from "../test/support/strict-sdk-logger";
import { FAULTY_KEYS, HEALTHY_KEY, TEST_FLEET } from "../test/support/test-fleet";
import { TEST_TIMEOUTS } from "../test/support/test-timeouts";
import { createLmStudioRuntime } from "./create-runtime";
import type { LmStudioRuntime } from "./lmstudio-runtime";

const CHAT = { messages: [{ role: "user" as const, content: "2+3=" }], maxTokens: 16, temperature: 0 };

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error("expected the call to fail, but it succeeded"),
    (error: unknown) => error,
  );
}

function expectCategory(error: unknown, category: RuntimeErrorCategory): void {
  expect(isRuntimeError(error), String(error)).toBe(true);
  if (isRuntimeError(error)) expect(error.category, error.message).toBe(category);
}

/** A TCP port nobody listens on: bind an ephemeral one and release it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

describe("LM Studio adapter: emulator faults", () => {
  let emulator: Emulator;
  let logger: StrictSdkLogger;
  let runtime: LmStudioRuntime;

  beforeEach(async () => {
    emulator = await startEmulator({ port: 0, fleet: TEST_FLEET, timeScale: 0 });
    logger = createStrictSdkLogger();
    runtime = createLmStudioRuntime({ url: emulator.url, timeouts: TEST_TIMEOUTS, logger });
  });

  afterEach(async () => {
    // After any fault the runtime must be usable again, with nothing leaked on the host.
    try {
      expect(await runtime.listLoaded()).toEqual([]);
      expect(emulator.state.loaded).toEqual([]);
      const handle = await runtime.load(HEALTHY_KEY, { contextLength: 4096 });
      expect((await runtime.respond(handle, CHAT)).text).toContain("5");
      await runtime.unload(handle);
      logger.assertNoProtocolWarnings();
    } finally {
      await runtime.close();
      await emulator.close();
    }
  });

  it("memoryCacheNull: the first prediction after a load is MEMORY_CACHE_CORRUPTED", async () => {
    const handle = await runtime.load(FAULTY_KEYS.cacheNull, { contextLength: 4096 });
    expectCategory(await caught(runtime.respond(handle, CHAT)), "MEMORY_CACHE_CORRUPTED");
    // The instance survives; the next prediction works.
    expect((await runtime.respond(handle, CHAT)).text).toContain("5");
    await runtime.unload(handle);
  });

  it("notFoundOnUnload: an unload the host answers with not-found does not throw", async () => {
    const handle = await runtime.load(FAULTY_KEYS.notFoundOnUnload, { contextLength: 4096 });
    await expect(runtime.unload(handle)).resolves.toBeUndefined();
  });

  it("crashAbove: a prediction at a size that crashes is MODEL_CRASHED, and the instance is gone", async () => {
    const handle = await runtime.load(FAULTY_KEYS.crashes, { contextLength: 16_384 });
    expectCategory(await caught(runtime.respond(handle, CHAT)), "MODEL_CRASHED");
    // Using the dead handle again says the same, and unloading it is not an error.
    expectCategory(await caught(runtime.respond(handle, CHAT)), "MODEL_CRASHED");
    expectCategory(await caught(runtime.countTokens(handle, "hello")), "MODEL_CRASHED");
    await runtime.unload(handle);
  });

  it("crashAbove: below the threshold the same model answers", async () => {
    const handle = await runtime.load(FAULTY_KEYS.crashes, { contextLength: 4096 });
    expect((await runtime.respond(handle, CHAT)).text).toContain("5");
    await runtime.unload(handle);
  });

  it("loadFailsAbove: a load above the threshold is LOAD_FAILED with the host's words", async () => {
    const error = await caught(runtime.load(FAULTY_KEYS.loadFails, { contextLength: 16_384 }));
    expectCategory(error, "LOAD_FAILED");
    expect(String(error)).toContain("Failed to load model");
  });

  it("over memory: a load that does not fit is INSUFFICIENT_RESOURCES", async () => {
    const error = await caught(runtime.load(HEALTHY_KEY, { contextLength: 1_000_000 }));
    expectCategory(error, "INSUFFICIENT_RESOURCES");
    expect(String(error)).toContain("insufficient system resources");
  });

  it.each([
    // llama.cpp names the KV cache buffer it could not allocate: 1,000,000 tokens × 32 KiB.
    [FAULTY_KEYS.outOfMemory, "cudaMalloc failed: out of memory", { failedKvCacheBytes: 1_000_000 * 32_768 }],
    // MLX's Metal error names no size.
    [FAULTY_KEYS.outOfMemoryMlx, "kIOGPUCommandBufferCallbackErrorOutOfMemory", undefined],
  ])(
    "noGuardrail (%s): a load above memory that fails late is INSUFFICIENT_RESOURCES",
    async (key, text, details) => {
      const error = await caught(runtime.load(key, { contextLength: 1_000_000 }));
      expectCategory(error, "INSUFFICIENT_RESOURCES");
      expect(String(error)).toContain(text);
      // No guardrail estimate in the text, so no requirement is passed on as evidence.
      expect(isRuntimeError(error) && error.details).toEqual(details);
      expect(emulator.state.counters.loadsFailed).toBe(1);
    },
  );

  it("hangOnLoad with timeoutMs: TIMEOUT, and nothing is left loaded", async () => {
    const startedAt = Date.now();
    const error = await caught(runtime.load(FAULTY_KEYS.hangs, { contextLength: 4096, timeoutMs: 300 }));
    expectCategory(error, "TIMEOUT");
    expect(Date.now() - startedAt).toBeLessThan(5_000);
    expect(emulator.state.counters.loadsCancelled).toBe(1);
  });

  it("abort during a stalled load: CANCELLED, and nothing is left loaded", async () => {
    const controller = new AbortController();
    const error = await caught(
      runtime.load(FAULTY_KEYS.hangs, {
        contextLength: 4096,
        signal: controller.signal,
        onProgress: (progress) => {
          if (progress >= 0.999) controller.abort();
        },
      }),
    );
    expectCategory(error, "CANCELLED");
    expect(emulator.state.counters.loadsCancelled).toBe(1);
  });

  it("abort during a prediction: CANCELLED, the instance stays usable", async () => {
    const handle = await runtime.load(HEALTHY_KEY, { contextLength: 4096 });
    const controller = new AbortController();
    const error = await caught(
      runtime.respond(handle, {
        messages: [{ role: "user", content: "Tell me a long story about a lighthouse keeper." }],
        signal: controller.signal,
        onFragment: () => controller.abort(),
      }),
    );
    expectCategory(error, "CANCELLED");
    expect((await runtime.respond(handle, CHAT)).text).toContain("5");
    await runtime.unload(handle);
  });

  it("silentReduce: the handle carries the size the host really loaded", async () => {
    const handle: ModelHandle = await runtime.load(FAULTY_KEYS.reduces, { contextLength: 8192 });
    expect(handle.contextLength).toBe(2048);
    expect(await runtime.listLoaded()).toEqual([
      { modelKey: FAULTY_KEYS.reduces, identifier: handle.identifier, contextLength: 2048 },
    ]);
    await runtime.unload(handle);
  });

  it("disconnectAfterLoads: DISCONNECTED, then the next call reconnects and works", async () => {
    const error = await caught(runtime.load(FAULTY_KEYS.drops, { contextLength: 4096 }));
    expectCategory(error, "DISCONNECTED");
    expect(emulator.state.counters.disconnects).toBe(1);
    // The instance the host did load was unloaded by the clean-up, on a fresh connection.
    expect(emulator.state.counters.loadsSucceeded).toBe(1);
    expect(emulator.state.counters.unloads).toBe(1);
    expect(emulator.state.loaded).toEqual([]);
    expect((await runtime.version()).version).not.toBe("");
  });

  it("host restarted on the same port: UNREACHABLE while it is down, then works again", async () => {
    expect(await runtime.listModels()).not.toEqual([]);
    const { port } = emulator;
    await emulator.close();
    // The first call may still find the old socket and see it die (DISCONNECTED); after that, the fresh
    // connection is refused.
    const first = await caught(runtime.listModels());
    expect(
      isRuntimeError(first) && ["DISCONNECTED", "UNREACHABLE"].includes(first.category),
      String(first),
    ).toBe(true);
    expectCategory(await caught(runtime.listModels()), "UNREACHABLE");
    emulator = await startEmulator({ port, fleet: TEST_FLEET, timeScale: 0 });
    expect(await runtime.listModels()).not.toEqual([]);
  });

  it("host goes away during a prediction: DISCONNECTED", async () => {
    const slowHost = await startEmulator({ port: 0, fleet: TEST_FLEET, timeScale: 1 });
    const slowRuntime = createLmStudioRuntime({ url: slowHost.url, timeouts: TEST_TIMEOUTS, logger });
    try {
      const handle = await slowRuntime.load(HEALTHY_KEY, { contextLength: 4096 });
      const pending = caught(
        slowRuntime.respond(handle, {
          messages: [{ role: "user", content: "Tell me a long story about a lighthouse keeper." }],
          onFragment: () => void slowHost.close(),
        }),
      );
      expectCategory(await pending, "DISCONNECTED");
    } finally {
      await slowRuntime.close();
      await slowHost.close();
    }
  });
});

describe("LM Studio adapter: unreachable host", () => {
  it("a closed port is UNREACHABLE quickly, on every call, and close() returns", async () => {
    const logger = createStrictSdkLogger();
    const runtime = createLmStudioRuntime({ url: `ws://127.0.0.1:${await closedPort()}`, logger });
    try {
      const startedAt = Date.now();
      expectCategory(await caught(runtime.version()), "UNREACHABLE");
      expectCategory(await caught(runtime.listModels()), "UNREACHABLE");
      expectCategory(await caught(runtime.load(HEALTHY_KEY, { contextLength: 4096 })), "UNREACHABLE");
      expect(Date.now() - startedAt).toBeLessThan(2_000);
      logger.assertNoProtocolWarnings();
    } finally {
      await runtime.close();
    }
  });

  it("a host that accepts connections but never answers is UNREACHABLE after connectMs", async () => {
    // Accepts TCP connections and never answers the WebSocket upgrade (a wedged host).
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const address = silent.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    const runtime = createLmStudioRuntime({
      url: `ws://127.0.0.1:${address.port}`,
      timeouts: { connectMs: 200 },
      logger: createStrictSdkLogger(),
    });
    try {
      const error = await caught(runtime.listModels());
      expectCategory(error, "UNREACHABLE");
      expect(String(error)).toContain("200 ms");
    } finally {
      await runtime.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
