import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createStrictClient, errorOf, type StrictClient } from "../test/support/strict-client.js";
import { GiB, KiB, testFleet } from "../test/support/test-fleet.js";
import { defaultFleet } from "./fleet/default-fleet.js";
import { type FleetModel, parseFleet } from "./fleet/schema.js";
import { hiddenLoadableLimit, OVERHEAD_BYTES, requiredBytes } from "./memory.js";
import { type Emulator, startEmulator } from "./server.js";

const fleet = parseFleet(testFleet);
const model = (key: string): FleetModel => {
  const found = fleet.models.find((candidate) => candidate.modelKey === key);
  if (found === undefined) throw new Error(`no ${key} in the test fleet`);
  return found;
};

describe("hiddenLoadableLimit", () => {
  test("is the memory bound (memory − loaded − size − overhead) / kvBytesPerToken, floored", () => {
    expect(OVERHEAD_BYTES).toBe(512 * 1024 ** 2);
    expect(hiddenLoadableLimit(model("test-8b"), 16 * GiB)).toBe(94_208);
    expect(hiddenLoadableLimit(model("test-8b"), 16 * GiB, 2 * GiB)).toBe(77_824);
    expect(hiddenLoadableLimit(model("test-8b"), 16 * GiB + 128 * KiB - 1)).toBe(94_208);
    expect(hiddenLoadableLimit(model("test-8b"), 4 * GiB)).toBe(0);
    const limit = hiddenLoadableLimit(model("test-8b"), 16 * GiB);
    expect(requiredBytes(model("test-8b"), limit)).toBeLessThanOrEqual(16 * GiB);
    expect(requiredBytes(model("test-8b"), limit + 1)).toBeGreaterThan(16 * GiB);
  });

  test("is capped by loadFailsAbove, hangAbove and silentReduce; hangOnLoad makes it 0", () => {
    expect(hiddenLoadableLimit(model("test-load-fails"), 16 * GiB)).toBe(8192);
    expect(hiddenLoadableLimit(model("test-hang-above"), 16 * GiB)).toBe(8192);
    expect(hiddenLoadableLimit(model("test-reduce"), 16 * GiB)).toBe(8192);
    expect(hiddenLoadableLimit(model("test-hang"), 16 * GiB)).toBe(0);
  });

  test("the default fleet has small contexts that fit and 128K models far below declared", () => {
    const limits = defaultFleet.models.map((m) => ({
      m,
      limit: hiddenLoadableLimit(m, defaultFleet.memoryBytes),
    }));
    for (const { m, limit } of limits.filter(({ m }) => m.maxContextLength <= 8192)) {
      expect(limit, m.modelKey).toBeGreaterThanOrEqual(m.maxContextLength);
    }
    const big = limits.filter(({ m }) => m.type === "llm" && m.maxContextLength >= 128_000);
    const farBelow = big.filter(({ m, limit }) => limit < m.maxContextLength * 0.75);
    expect(farBelow.length).toBeGreaterThanOrEqual(5);
  });
});

describe("memory guardrail through the SDK", () => {
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

  const load = (key: string, contextLength: number) =>
    sdk.client.llm.load(key, { config: { contextLength }, verbose: false });

  test("the hidden limit is exact: limit loads, limit + 1 is refused", async () => {
    const limit = hiddenLoadableLimit(model("test-8b"), fleet.memoryBytes);
    const llm = await load("test-8b", limit);
    expect(await llm.getContextLength()).toBe(limit);
    await llm.unload();

    const error = await errorOf(load("test-8b", limit + 1));
    expect(error.message).toContain(
      "Model loading was stopped due to insufficient system resources. Under the current settings, " +
        "this model requires approximately 16.00 GB of memory",
    );
    expect(emulator.state.loaded).toEqual([]);
  });

  test("loaded instances hold memory until unloaded", async () => {
    const small = await load("test-small", 32768); // 1 GiB + 1 GiB KV + 0.5 GiB
    expect(emulator.state.loadedBytes).toBe(2.5 * GiB);
    const standaloneLimit = hiddenLoadableLimit(model("test-8b"), fleet.memoryBytes);
    expect((await errorOf(load("test-8b", standaloneLimit))).message).toContain(
      "insufficient system resources",
    );

    const withLeak = hiddenLoadableLimit(model("test-8b"), fleet.memoryBytes, emulator.state.loadedBytes);
    expect(withLeak).toBe(standaloneLimit - 20_480);
    const big = await load("test-8b", withLeak);
    await big.unload();

    await small.unload();
    expect(emulator.state.loadedBytes).toBe(0);
    const full = await load("test-8b", standaloneLimit);
    expect(await full.getContextLength()).toBe(standaloneLimit);
  });
});
