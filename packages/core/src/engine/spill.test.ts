import { describe, expect, it } from "vitest";
import { GiB, KiB, type SimulatedModel, searchModel } from "../testing/memory-host";
import { fitStrategy } from "./fit-search";
import type { HostLoad } from "./memory-model";
import { defaultPrecision, lmstrixSingleStrategy, type Observation, type Strategy } from "./search";
import {
  isFastForItsSize,
  isSlowForItsSize,
  lacksSpeedReference,
  spilledPasses,
  withSpillsAsFailures,
} from "./spill";

const unguarded = { memoryBytes: 16 * GiB, guardrail: false };
const STRATEGIES: [string, Strategy][] = [
  ["lmstrix", lmstrixSingleStrategy],
  ["fit", fitStrategy],
];

function pass(requested: number, genTokensPerSec: number, promptTokensPerSec = 1_000): Observation {
  return { requested, applied: requested, passed: true, genTokensPerSec, promptTokensPerSec };
}

/** 4 GiB of weights, 128 KiB per token: 94,208 tokens fit in 16 GiB; with spilling, up to 225,280 load. */
function spilling(extra: Partial<SimulatedModel> = {}): SimulatedModel {
  return {
    modelKey: "spills",
    sizeBytes: 4 * GiB,
    kvBytesPerToken: 128 * KiB,
    declared: 262_144,
    spillToRam: 2,
    ...extra,
  };
}
const IN_MEMORY = 94_208;

describe("spilling into system memory", () => {
  it("is a pass 5× slower (generation or prompt) than a smaller pass", () => {
    const fast = pass(2_048, 50);
    const slow = pass(100_000, 10);
    const almost = pass(60_000, 11);
    const slowPrompt = pass(120_000, 50, 200);
    expect(spilledPasses([fast, almost, slow, slowPrompt])).toEqual(new Set([slow, slowPrompt]));
    // No smaller pass to compare with: nothing can be said.
    expect(spilledPasses([slow])).toEqual(new Set());
    // Passes without speeds (imported from lmstrix) are never taken for spills.
    expect(spilledPasses([fast, { requested: 100_000, applied: 100_000, passed: true }])).toEqual(new Set());
  });

  it("a spilled pass reads as a failure for lack of memory", () => {
    const slow = pass(100_000, 5);
    expect(withSpillsAsFailures([pass(2_048, 50), slow])[1]).toEqual({
      ...slow,
      passed: false,
      memoryFailure: true,
      spilled: true,
    });
  });

  it("needs a pass at or below the verify size to compare the others with", () => {
    expect(lacksSpeedReference([pass(31_744, 50)], 2_048)).toBe(true);
    expect(lacksSpeedReference([pass(2_048, 50), pass(31_744, 50)], 2_048)).toBe(false);
    expect(lacksSpeedReference([], 2_048)).toBe(false);
  });

  it("needs none where the smallest pass generates as fast as the host's loads in memory for its size", () => {
    // 180 GiB×tokens/s: a 4 GiB model in memory generates 45 tokens/s, 4.5 when it spilled.
    const bandwidth = 180 * GiB;
    expect(isFastForItsSize(pass(31_744, 45), 4 * GiB, bandwidth)).toBe(true);
    expect(isFastForItsSize(pass(31_744, 4.5), 4 * GiB, bandwidth)).toBe(false);
    // Nothing measured on the host, or no speed: nothing is known.
    expect(isFastForItsSize(pass(31_744, 45), 4 * GiB, null)).toBe(false);
    expect(isFastForItsSize({ requested: 31_744, applied: 31_744, passed: true }, 4 * GiB, bandwidth)).toBe(
      false,
    );
    const fast = (observation: Observation) => isFastForItsSize(observation, 4 * GiB, bandwidth);
    expect(lacksSpeedReference([pass(63_488, 4.5), pass(31_744, 45)], 2_048, fast)).toBe(false);
    expect(lacksSpeedReference([pass(31_744, 4.5), pass(63_488, 4.5)], 2_048, fast)).toBe(true);
  });

  it.each(STRATEGIES)(
    "%s: the limit stays below the spill point, and the end says where it spills",
    (_name, strategy) => {
      const evidence: HostLoad[] = [];
      // A model that ran out of memory before: the host shows it has no guardrail.
      searchModel(
        strategy,
        unguarded,
        spilling({ modelKey: "other", spillToRam: undefined }),
        undefined,
        evidence,
      );
      const result = searchModel(strategy, unguarded, spilling(), undefined, evidence);
      expect(result.limit).toBeLessThanOrEqual(IN_MEMORY);
      expect(IN_MEMORY - result.limit!).toBeLessThanOrEqual(defaultPrecision(IN_MEMORY));
      expect(result.reason).toMatch(
        /^loads but spills to system memory above [\d,]+ tokens \(found between /,
      );
    },
  );

  it("fit: a first pass that spilled is found out by the verify size it loads before it ends", () => {
    const evidence: HostLoad[] = [];
    searchModel(
      fitStrategy,
      unguarded,
      spilling({ modelKey: "other", spillToRam: undefined }),
      undefined,
      evidence,
    );
    // 15 GiB of weights: 16,384 tokens fit in memory, so the threshold spills.
    const big = spilling({
      modelKey: "big",
      sizeBytes: 15 * GiB,
      kvBytesPerToken: 32 * KiB,
      declared: 131_072,
    });
    const result = searchModel(fitStrategy, unguarded, big, undefined, evidence);
    const inMemory = Math.floor((16 * GiB - 15 * GiB - 512 * 1024 ** 2) / (32 * KiB));
    expect(result.probes[0]).toBe(31_744);
    expect(result.probes).toContain(2_048);
    expect(result.limit).toBeLessThanOrEqual(inMemory);
    expect(inMemory - result.limit!).toBeLessThanOrEqual(defaultPrecision(inMemory));
  });
});

describe("fit: a first pass many times slower than the host's loads in memory for its size", () => {
  // 180 GiB×tokens/s: a 15 GiB model in memory generates 12 tokens/s, 1.2 when it spilled.
  const bandwidth = 180 * GiB;
  const outOfMemory: HostLoad = {
    modelKey: "other",
    sizeBytes: 4 * GiB,
    requested: 262_144,
    applied: null,
    passed: false,
    memoryFailure: true,
    requiredBytes: null,
  };
  const next = (first: Observation) =>
    fitStrategy(
      {
        declared: 131_072,
        threshold: 31_744,
        verifyContext: 2_048,
        previousBad: null,
        force: false,
        knowledge: {
          modelKey: "big",
          sizeBytes: 15 * GiB,
          decodeBandwidth: bandwidth,
          evidence: [outOfMemory],
        },
      },
      [first],
    );

  it("is likely, not proven, to have spilled", () => {
    expect(isSlowForItsSize(pass(31_744, 1.2), 15 * GiB, bandwidth)).toBe(true);
    expect(isSlowForItsSize(pass(31_744, 6), 15 * GiB, bandwidth)).toBe(false);
    expect(isSlowForItsSize(pass(31_744, 1.2), 15 * GiB, null)).toBe(false);
    // By itself it is no spill: only a smaller pass's speed shows one.
    expect(spilledPasses([pass(31_744, 1.2)])).toEqual(new Set());
  });

  it("loads the speed reference next, instead of growing from a pass that may not have fitted", () => {
    expect(next(pass(31_744, 1.2))).toEqual({ kind: "probe", context: 2_048, phase: "verify" });
    // Merely half as fast as the host's in-memory loads: the search grows (lmstrix's doubling).
    expect(next(pass(31_744, 6))).toEqual({ kind: "probe", context: 63_488, phase: "explore" });
  });
});

describe("fit: passes its own failures show could not have fitted", () => {
  it("loads the speed reference at once instead of bisecting up to where spilling ends", () => {
    const llamaCpp = { ...unguarded, namesKvCache: true };
    const evidence: HostLoad[] = [];
    searchModel(
      fitStrategy,
      llamaCpp,
      spilling({ modelKey: "other", spillToRam: undefined }),
      undefined,
      evidence,
    );
    // 7.3 GiB of weights, 384 KiB per token: 22,391 tokens fit in memory, about 66,000 load by spilling.
    const gemma = spilling({
      modelKey: "gemma",
      sizeBytes: 7.3 * GiB,
      kvBytesPerToken: 384 * KiB,
      declared: 131_072,
    });
    const result = searchModel(fitStrategy, llamaCpp, gemma, undefined, evidence);
    const inMemory = Math.floor((16 * GiB - 7.3 * GiB - 512 * 1024 ** 2) / (384 * KiB));
    // The threshold and its double spilled; the next double ran out of memory, naming its KV cache.
    expect(result.probes.slice(0, 4)).toEqual([31_744, 63_488, 126_976, 2_048]);
    expect(result.limit).toBeLessThanOrEqual(inMemory);
    expect(inMemory - result.limit!).toBeLessThanOrEqual(defaultPrecision(inMemory));
    expect(result.probes.length).toBeLessThanOrEqual(7);
  });
});

describe("no guardrail: loads that run out of memory give no figure", () => {
  it.each(STRATEGIES)("%s: bracketing on passes and failures finds every limit", (_name, strategy) => {
    const evidence: HostLoad[] = [];
    for (const [index, gib] of [2, 3, 5, 8, 11].entries()) {
      const m = spilling({ modelKey: `m${index}`, sizeBytes: gib * GiB, spillToRam: undefined });
      const truth = Math.floor((16 * GiB - gib * GiB - 512 * 1024 ** 2) / (128 * KiB));
      const result = searchModel(strategy, unguarded, m, undefined, evidence);
      expect(result.limit, m.modelKey).toBeLessThanOrEqual(truth);
      expect(truth - result.limit!, m.modelKey).toBeLessThanOrEqual(defaultPrecision(truth));
    }
    expect(evidence.some((load) => load.memoryFailure && load.requiredBytes === null)).toBe(true);
    expect(evidence.some((load) => load.requiredBytes !== null)).toBe(false);
  });
});
