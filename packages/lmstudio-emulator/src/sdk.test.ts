import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { createStrictClient, errorOf, type StrictClient } from "../test/support/strict-client.js";
import { testFleet } from "../test/support/test-fleet.js";
import { type Emulator, startEmulator } from "./server.js";
import { countTokens } from "./tokenizer.js";

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

describe("system namespace", () => {
  test("lists downloaded LLMs and embedding models with their schema fields", async () => {
    const models = await sdk.client.system.listDownloadedModels();
    expect(models).toHaveLength(testFleet.models.length);
    const llm = models.find((model) => model.modelKey === "test-8b");
    expect(llm).toEqual({
      type: "llm",
      modelKey: "test-8b",
      format: "gguf",
      displayName: "test-8b",
      path: "test/test-8b/test-8b-Q4_K_M.gguf",
      sizeBytes: 4 * 1024 ** 3,
      paramsString: "8B",
      architecture: "llama",
      quantization: { name: "Q4_K_M", bits: 4 },
      vision: false,
      trainedForToolUse: true,
      maxContextLength: 131072,
    });
    const embedding = models.find((model) => model.type === "embedding");
    expect(embedding).toMatchObject({ modelKey: "test-embed", format: "gguf", maxContextLength: 2048 });
    expect(await sdk.client.system.listDownloadedModels("embedding")).toHaveLength(1);
  });

  test("reports the LM Studio version", async () => {
    expect(await sdk.client.system.getLMStudioVersion()).toEqual({ version: "0.3.20", build: 4 });
  });
});

describe("loading", () => {
  test("loads at the requested context, reports progress, lists and unloads", async () => {
    const progress: number[] = [];
    const llm = await sdk.client.llm.load("test-8b", {
      config: { contextLength: 12345, flashAttention: true },
      verbose: false,
      onProgress: (value) => progress.push(value),
    });
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toBe(1);
    expect(await llm.getContextLength()).toBe(12345);
    expect(llm.identifier).toBe("test-8b");

    const loaded = await sdk.client.llm.listLoaded();
    expect(loaded.map((model) => model.identifier)).toEqual(["test-8b"]);
    expect(await loaded[0]?.getModelInfo()).toMatchObject({ contextLength: 12345, maxContextLength: 131072 });
    expect(emulator.state.loaded).toMatchObject([{ modelKey: "test-8b", contextLength: 12345 }]);

    await llm.unload();
    expect(await sdk.client.llm.listLoaded()).toEqual([]);
    expect(emulator.state.loadedBytes).toBe(0);
    expect(emulator.state.counters).toMatchObject({ loadsStarted: 1, loadsSucceeded: 1, unloads: 1 });
  });

  test("a load without contextLength uses min(declared, 4096)", async () => {
    const llm = await sdk.client.llm.load("test-small", { verbose: false });
    expect(await llm.getContextLength()).toBe(4096);
  });

  test("a second load of the same key becomes `key:2`, like LM Studio", async () => {
    const first = await sdk.client.llm.load("test-small", { verbose: false });
    const second = await sdk.client.llm.load("test-small", { verbose: false });
    expect([first.identifier, second.identifier]).toEqual(["test-small", "test-small:2"]);
    expect(emulator.state.loaded).toHaveLength(2);
  });

  test("cancelling a load through its AbortSignal leaves nothing loaded", async () => {
    const controller = new AbortController();
    const load = sdk.client.llm.load("test-hang", {
      config: { contextLength: 4096 },
      verbose: false,
      signal: controller.signal,
      onProgress: (value) => {
        if (value >= 0.999) controller.abort(new Error("user gave up"));
      },
    });
    expect((await errorOf(load)).message).toBe("user gave up");
    await vi.waitFor(() => expect(emulator.state.counters.concurrentLoads).toBe(0));
    expect(emulator.state.loaded).toEqual([]);
    expect(emulator.state.loadedBytes).toBe(0);
    expect(emulator.state.counters.loadsCancelled).toBe(1);
    expect(await sdk.client.llm.listLoaded()).toEqual([]);
  });

  test("an instance loaded with a ttl is unloaded after that long idle", async () => {
    const llm = await sdk.client.llm.load("test-small", { verbose: false, ttl: 0.05 });
    expect((await llm.getModelInfo()).identifier).toBe("test-small");
    await vi.waitFor(() => expect(emulator.state.loaded).toEqual([]));
    expect(emulator.state.counters.unloads).toBe(1);
  });

  test("client.llm.model() returns the loaded instance or loads one", async () => {
    const loaded = await sdk.client.llm.model("test-small", {
      verbose: false,
      config: { contextLength: 5000 },
    });
    expect(await loaded.getContextLength()).toBe(5000);
    const again = await sdk.client.llm.model("test-small", {
      verbose: false,
      config: { contextLength: 9000 },
    });
    expect(again.identifier).toBe("test-small");
    expect(await again.getContextLength()).toBe(5000);
    expect(emulator.state.counters.loadsStarted).toBe(1);
  });

  test("an unknown model key is LM Studio's path-not-found error", async () => {
    const error = await errorOf(sdk.client.llm.load("no-such-model", { verbose: false }));
    expect(error.message).toContain('Cannot find a model with path "no-such-model"');
  });

  test("an embedding model cannot be loaded as an LLM", async () => {
    const error = await errorOf(sdk.client.llm.load("test-embed", { verbose: false }));
    expect(error.message).toContain("Model has wrong domain");
  });
});

describe("prediction", () => {
  test("respond('2+3=') answers 5 with full stats", async () => {
    const llm = await sdk.client.llm.load("test-8b", { config: { contextLength: 8192 }, verbose: false });
    const fragments: string[] = [];
    const progress: number[] = [];
    const result = await llm.respond("2+3=", {
      maxTokens: 10,
      temperature: 0.1,
      onPredictionFragment: (fragment) => fragments.push(fragment.content),
      onPromptProcessingProgress: (value) => progress.push(value),
    });
    expect(result.content).toBe("5");
    expect(fragments.join("")).toBe("5");
    expect(progress.at(0)).toBe(0);
    expect(progress.at(-1)).toBe(1);
    const { stats } = result;
    expect(stats.stopReason).toBe("eosFound");
    expect(stats.tokensPerSecond).toBeGreaterThan(0);
    expect(stats.timeToFirstTokenSec).toBeGreaterThan(0);
    expect(stats.predictedTokensCount).toBe(1);
    expect(stats.promptTokensCount).toBeGreaterThan(countTokens("2+3=")); // chat template adds tokens
    expect(stats.totalTokensCount).toBe((stats.promptTokensCount ?? 0) + 1);
    expect(result.modelInfo).toMatchObject({ identifier: "test-8b", contextLength: 8192 });
    expect(emulator.state.counters.predictions).toBe(1);
  });

  test("complete() uses the raw prompt: its token count is the prompt size", async () => {
    const llm = await sdk.client.llm.load("test-small", { config: { contextLength: 4096 }, verbose: false });
    const prompt = "Write 'ninety-six' as a number using only digits";
    const result = await llm.complete(prompt, { maxTokens: 10 });
    expect(result.content).toBe("96");
    expect(result.stats.promptTokensCount).toBe(await llm.countTokens(prompt));
  });

  test("countTokens and tokenize agree with the emulator tokenizer", async () => {
    const llm = await sdk.client.llm.load("test-small", { verbose: false });
    expect(await llm.countTokens("Hello, world!")).toBe(4);
    const tokens = await llm.tokenize("2+3=");
    expect(tokens).toHaveLength(4);
    expect(tokens.every((token) => Number.isInteger(token))).toBe(true);
  });

  test("maxTokens stops with maxPredictedTokensReached", async () => {
    const llm = await sdk.client.llm.load("test-small", { verbose: false });
    const result = await llm.respond("Tell me something.", { maxTokens: 2 });
    expect(result.stats.stopReason).toBe("maxPredictedTokensReached");
    expect(result.stats.predictedTokensCount).toBe(2);
  });

  test("recalls a fact stated in a long prompt", async () => {
    const llm = await sdk.client.llm.load("test-small", { config: { contextLength: 16384 }, verbose: false });
    const filler = "The sky was grey and nothing happened. ".repeat(400);
    const prompt = `${filler}The secret code for the vault is 7319. ${filler}What is the secret code for the vault?`;
    const result = await llm.respond(prompt, { maxTokens: 10 });
    expect(result.content).toBe("7319");
    expect(result.stats.promptTokensCount).toBeGreaterThan(6000);
  });

  test("a prompt longer than effectiveContext gets a digit-free ramble; a short one stays right", async () => {
    const llm = await sdk.client.llm.load("test-small", { config: { contextLength: 20000 }, verbose: false });
    expect((await llm.respond("2+3=", { maxTokens: 50 })).content).toBe("5");
    const filler = "The river is calm. ".repeat(3300);
    const long = await llm.respond(`${filler}\n2+3=`, { maxTokens: 50 });
    expect(long.stats.promptTokensCount).toBeGreaterThan(16384);
    expect(long.content).not.toMatch(/\d/);
    expect(long.content.length).toBeGreaterThan(0);
  });

  test("a prompt longer than the loaded context is LM Studio's overflow error", async () => {
    const llm = await sdk.client.llm.load("test-small", { config: { contextLength: 1000 }, verbose: false });
    const prompt = "word ".repeat(1200).trim();
    const error = await errorOf(llm.complete(prompt, { maxTokens: 5 }));
    expect(error.message).toContain(
      "The number of tokens to keep from the initial prompt is greater than the context length (n_keep: 1200 >= n_ctx: 1000)",
    );
  });

  test("cancelling mid-stream stops with userStopped", async () => {
    await emulator.close();
    await sdk.dispose();
    emulator = await startEmulator({ fleet: testFleet, timeScale: 1 });
    sdk = createStrictClient(emulator.url);
    const llm = await sdk.client.llm.load("test-slow-stream", { verbose: false });
    const controller = new AbortController();
    const result = await llm.respond("Say hello.", {
      signal: controller.signal,
      onPredictionFragment: () => controller.abort(),
    });
    expect(result.stats.stopReason).toBe("userStopped");
    expect(result.stats.predictedTokensCount).toBeLessThan(5);
    expect(emulator.state.counters.predictionsCancelled).toBe(1);
  });

  test("a signal aborted before the prediction starts also ends userStopped", async () => {
    const llm = await sdk.client.llm.load("test-small", { verbose: false });
    const controller = new AbortController();
    controller.abort();
    const result = await llm.respond("2+3=", { signal: controller.signal });
    expect(result.stats.stopReason).toBe("userStopped");
    expect(result.content).toBe("");
  });

  test("using an instance after it was unloaded fails with 'Model is unloaded.'", async () => {
    const llm = await sdk.client.llm.load("test-small", { verbose: false });
    await sdk.client.llm.unload(llm.identifier);
    expect((await errorOf(llm.respond("2+3="))).message).toContain("Model is unloaded.");
  });

  test("unloading an unknown identifier is the not-found error", async () => {
    const error = await errorOf(sdk.client.llm.unload("nothing-here"));
    expect(error.title).toBe("No model found that fits the query");
    // The SDK renders the generic.noModelMatchingQuery display code with its own wording.
    expect(error.message).toContain("No loaded model satisfies all requirements specified in the query.");
  });
});

describe("embedding namespace", () => {
  test("loads an embedding model and embeds deterministically", async () => {
    const model = await sdk.client.embedding.load("test-embed", {
      verbose: false,
      config: { contextLength: 1024 },
    });
    expect(await model.getContextLength()).toBe(1024);
    const first = await model.embed("hello");
    const second = await model.embed("hello");
    expect(first.embedding).toEqual(second.embedding);
    expect(first.embedding.length).toBeGreaterThan(0);
    expect(await model.countTokens("hello world")).toBe(2);
    await model.unload();
    expect(emulator.state.loaded).toEqual([]);
  });
});
