import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import WebSocket from "ws";
import { createStrictClient, errorOf, type StrictClient } from "../test/support/strict-client.js";
import { testFleet } from "../test/support/test-fleet.js";
import { resolveFaults } from "./faults.js";
import { parseFleet } from "./fleet/schema.js";
import { type Emulator, startEmulator } from "./server.js";

let emulator: Emulator;
let sdk: StrictClient;

beforeEach(async () => {
  emulator = await startEmulator({ fleet: testFleet, timeScale: 0 });
  sdk = createStrictClient(emulator.url);
});

afterEach(async () => {
  await sdk.dispose();
  await emulator.close();
  expect(sdk.problems).toEqual([]);
});

const load = (
  key: string,
  contextLength: number,
  extra: { signal?: AbortSignal; onProgress?: (p: number) => void } = {},
) => sdk.client.llm.load(key, { config: { contextLength }, verbose: false, ...extra });

/** Starts a load that stalls at 0.999 and aborts it there; resolves with the rejection. */
async function loadAndAbortAtStall(
  key: string,
  contextLength: number,
): Promise<{ error: Error; progress: number[] }> {
  const controller = new AbortController();
  const progress: number[] = [];
  const error = await errorOf(
    load(key, contextLength, {
      signal: controller.signal,
      onProgress: (value) => {
        progress.push(value);
        if (value === 0.999) controller.abort(new Error("stalled"));
      },
    }),
  );
  await vi.waitFor(() => expect(emulator.state.counters.concurrentLoads).toBe(0));
  return { error, progress };
}

test("fault syntax: strings for flags, one-key objects for parameters", () => {
  const fleet = parseFleet({
    memoryBytes: 1e10,
    models: [
      {
        modelKey: "m",
        type: "llm",
        format: "gguf",
        path: "p",
        sizeBytes: 1,
        maxContextLength: 10,
        kvBytesPerToken: 1,
        faults: [
          "memoryCacheNull",
          "slowPrediction",
          { crashAbove: 5 },
          { silentReduce: 7 },
          { truncatePromptAbove: 9 },
        ],
      },
    ],
  });
  const model = fleet.models[0];
  if (model === undefined) throw new Error("no model");
  expect(resolveFaults(model)).toMatchObject({
    memoryCacheNull: true,
    slowPredictionFactor: 20,
    crashAbove: 5,
    silentReduce: 7,
    truncatePromptAbove: 9,
    hangOnLoad: false,
  });
});

describe("memoryCacheNull", () => {
  test("the first prediction after each load fails with llama_memory is null, the next works", async () => {
    const llm = await load("test-cache-null", 4096);
    const error = await errorOf(llm.respond("2+3="));
    expect(error.message).toContain("Unable to reuse from cache: llama_memory is null");
    expect((await llm.respond("2+3=")).content).toBe("5");

    await llm.unload();
    const reloaded = await load("test-cache-null", 4096);
    expect((await errorOf(reloaded.respond("2+3="))).message).toContain("llama_memory is null");
  });
});

describe("notFoundOnUnload", () => {
  test("unload answers not-found but the instance and its memory are gone", async () => {
    const llm = await load("test-not-found", 4096);
    const error = await errorOf(llm.unload());
    expect(error.title).toBe("No model found that fits the query");
    expect(emulator.state.loaded).toEqual([]);
    expect(emulator.state.loadedBytes).toBe(0);
  });
});

describe("crashAbove", () => {
  test("a prediction at loaded context ≥ N crashes the instance and frees its memory", async () => {
    const llm = await load("test-crash", 8192);
    const error = await errorOf(llm.respond("2+3="));
    expect(error.message).toContain("The model has crashed without additional information. (Exit code: 6)");
    expect(await sdk.client.llm.listLoaded()).toEqual([]);
    expect(emulator.state.loadedBytes).toBe(0);
    expect(emulator.state.counters.crashes).toBe(1);
    expect((await errorOf(llm.respond("2+3="))).message).toContain("Model is unloaded.");
  });

  test("below N predictions work", async () => {
    const llm = await load("test-crash", 8191);
    expect((await llm.respond("2+3=")).content).toBe("5");
  });
});

describe("loadFailsAbove", () => {
  test("a load above N fails with 'Failed to load model' and the exit-code cause", async () => {
    const error = await errorOf(load("test-load-fails", 8193));
    expect(error.message).toContain("Failed to load model");
    expect(error.message).toContain(
      "Error loading model. (Exit code: 18446744072635812000). Unknown error. Try a different model and/or config.",
    );
    expect(emulator.state.loaded).toEqual([]);
    expect(emulator.state.loadedBytes).toBe(0);
    expect(await (await load("test-load-fails", 8192)).getContextLength()).toBe(8192);
  });
});

describe("hangOnLoad / hangAbove", () => {
  test("hangOnLoad stalls at 0.999 until the client cancels; nothing leaks", async () => {
    const { error, progress } = await loadAndAbortAtStall("test-hang", 4096);
    expect(error.message).toBe("stalled");
    expect(progress.at(-1)).toBe(0.999);
    expect(emulator.state.loaded).toEqual([]);
    expect(emulator.state.loadedBytes).toBe(0);
    // The memory reserved by the stalled load is free again: the largest load still fits.
    expect(await (await load("test-8b", 94_208)).getContextLength()).toBe(94_208);
  });

  test("hangAbove N stalls only above N", async () => {
    const { progress } = await loadAndAbortAtStall("test-hang-above", 8193);
    expect(progress.at(-1)).toBe(0.999);
    expect(await (await load("test-hang-above", 8192)).getContextLength()).toBe(8192);
  });

  test("closing the socket ends a stalled load", async () => {
    const ws = new WebSocket(`${emulator.url}/llm`);
    await new Promise((resolve) => ws.once("open", resolve));
    ws.send(JSON.stringify({ authVersion: 1, clientIdentifier: "raw", clientPasskey: "pass" }));
    const packets: Array<{ type: string; message?: { type: string; progress?: number } }> = [];
    ws.on("message", (data) => packets.push(JSON.parse(String(data))));
    ws.send(
      JSON.stringify({
        type: "channelCreate",
        endpoint: "loadModel",
        channelId: 0,
        creationParameter: {
          modelKey: "test-hang",
          loadConfigStack: { layers: [{ layerName: "apiOverride", config: { fields: [] } }] },
        },
      }),
    );
    await vi.waitFor(() => expect(packets.some((packet) => packet.message?.progress === 0.999)).toBe(true));
    expect(emulator.state.counters.concurrentLoads).toBe(1);
    ws.terminate();
    await vi.waitFor(() => expect(emulator.state.counters.concurrentLoads).toBe(0));
    expect(emulator.state.loaded).toEqual([]);
    expect(emulator.state.counters.loadsCancelled).toBe(1);
  });
});

describe("silentReduce", () => {
  test("loads at most N and reports N as the loaded context", async () => {
    const llm = await load("test-reduce", 20_000);
    expect(await llm.getContextLength()).toBe(8192);
    expect((await sdk.client.llm.listLoaded())[0]?.identifier).toBe("test-reduce");
    expect(emulator.state.loaded).toMatchObject([{ requestedContextLength: 20_000, contextLength: 8192 }]);
  });
});

describe("truncatePromptAbove", () => {
  // A fact at the head, 1,500 tokens of filler, a fact and both questions at the tail.
  const longPrompt = [
    "The code for Oslo is 111.",
    " filler".repeat(1500),
    "The code for Riga is 222.",
    "What is the code for Oslo?\nWhat is the code for Riga?",
  ].join("\n");

  test("a longer prompt loses its head: only the last N tokens are answered from and counted", async () => {
    const whole = await (await load("test-small", 4096)).respond(longPrompt);
    expect(whole.content).toBe("111\n222");
    expect(whole.stats.promptTokensCount).toBeGreaterThan(1500);

    const cut = await (await load("test-truncate", 4096)).respond(longPrompt);
    expect(cut.content).toBe("unknown\n222");
    expect(cut.stats.promptTokensCount).toBe(1000);
    expect(cut.stats.totalTokensCount).toBe(1000 + (cut.stats.predictedTokensCount ?? 0));
  });

  test("a prompt of at most N tokens is untouched", async () => {
    const reply = await (await load("test-truncate", 4096)).respond(
      "The code for Oslo is 111.\nWhat is the code for Oslo?",
    );
    expect(reply.content).toBe("111");
    expect(reply.stats.promptTokensCount).toBeLessThan(1000);
  });

  test("a prompt longer than the loaded context is cut instead of refused", async () => {
    const reply = await (await load("test-truncate", 1200)).respond(longPrompt);
    expect(reply.content).toBe("unknown\n222");
    expect(reply.stats.promptTokensCount).toBe(1000);
  });
});

describe("slowPrediction", () => {
  test("predictions are 20× slower, as their stats show", async () => {
    const normal = await load("test-small", 4096);
    const slow = await load("test-slow", 4096);
    const fast = (await normal.respond("2+3=")).stats;
    const slowed = (await slow.respond("2+3=")).stats;
    expect(slowed.tokensPerSecond).toBeCloseTo((fast.tokensPerSecond ?? 0) / 20, 5);
    expect(slowed.totalTimeSec).toBeGreaterThan(fast.totalTimeSec ?? 0);
  });
});

describe("disconnectAfterLoads", () => {
  test("after K successful loads the client's sockets are dropped once; the SDK reconnects", async () => {
    await sdk.dispose();
    sdk = createStrictClient(emulator.url, { allow: [/WebSocket error/] });

    const first = await load("test-disconnect", 4096);
    await first.unload();
    const second = await load("test-disconnect", 4096);
    expect(second.identifier).toBe("test-disconnect");
    await vi.waitFor(() => expect(sdk.allowed.length).toBeGreaterThan(0));
    expect(emulator.state.counters.disconnects).toBe(1);

    // The model stays loaded server-side; the next call opens a fresh socket.
    expect((await sdk.client.llm.listLoaded()).map((llm) => llm.identifier)).toEqual(["test-disconnect"]);
    await sdk.client.llm.unload("test-disconnect");
    const allowedSoFar = sdk.allowed.length;
    const third = await load("test-disconnect", 4096);
    await third.unload();
    expect(emulator.state.counters.disconnects).toBe(1);
    expect(sdk.allowed.length).toBe(allowedSoFar);
  });
});
