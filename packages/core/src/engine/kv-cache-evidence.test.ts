import { describe, expect, it } from "vitest";
import {
  asLoad,
  GiB,
  isWithinPrecision,
  KiB,
  type SimulatedModel,
  searchModel,
  simulateProbe,
} from "../testing/memory-host";
import { fitStrategy } from "./fit-search";
import { calibrate, type HostLoad, KV_CACHE_BYTES_TOLERANCE, predictLimit } from "./memory-model";
import { lmstrixSingleStrategy } from "./search";

/** No guardrail; a load out of memory names the KV cache buffer it could not allocate, as llama.cpp does. */
const llamaCpp = { memoryBytes: 16 * GiB, guardrail: false, namesKvCache: true };
const bare = { memoryBytes: 16 * GiB, guardrail: false };

function model(modelKey: string, gib: number, kvKiB: number, declared = 262_144): SimulatedModel {
  return { modelKey, sizeBytes: Math.round(gib * GiB), kvBytesPerToken: kvKiB * KiB, declared };
}

describe("calibrate: the KV cache a load out of memory failed to allocate", () => {
  const llama = model("llama-8b", 4.58, 128);

  it("gives the base's bytes per token from one failure", () => {
    const failure = asLoad(llama, simulateProbe(llamaCpp, llama, 200_000));
    expect(failure).toMatchObject({
      memoryFailure: true,
      requiredBytes: null,
      failedKvCacheBytes: 200_000 * 128 * KiB,
    });
    const k = calibrate([failure]).bases.get("llama-8b")!.kvBytesPerToken;
    expect(k.lo).toBeLessThanOrEqual(128 * KiB);
    expect(k.hi).toBeGreaterThanOrEqual(128 * KiB);
    expect(k.hi - k.lo).toBeCloseTo((2 * KV_CACHE_BYTES_TOLERANCE) / 200_000, 6);
  });

  it("brackets memory minus overhead between what loaded and what failed, and predicts another base from it", () => {
    const loads = [llama, model("qwen-7b", 4.36, 56), model("phi", 2.2, 384)].flatMap((m) =>
      [31_744, 200_000].map((context) => asLoad(m, simulateProbe(llamaCpp, m, context))),
    );
    const calibration = calibrate(loads);
    expect(calibration.consistent).toBe(true);
    const headroom = 16 * GiB - 512 * 1024 ** 2;
    expect(calibration.headroom.lo).toBeLessThanOrEqual(headroom);
    expect(calibration.headroom.hi).toBeGreaterThanOrEqual(headroom);
    // Memory and overhead stay unknown apart: nothing states a requirement.
    expect(calibration.memory.hi).toBe(Number.POSITIVE_INFINITY);

    // A new base with one failure of its own: the prediction brackets its limit, never above it.
    const gemma = model("gemma-12b", 6.8, 384);
    const own = asLoad(gemma, simulateProbe(llamaCpp, gemma, 131_072));
    const all = [...loads, own];
    const prediction = predictLimit(calibrate(all), all, gemma)!;
    const truth = Math.floor((headroom - gemma.sizeBytes) / gemma.kvBytesPerToken);
    expect(prediction.lo).toBeLessThanOrEqual(truth);
    expect(prediction.hi).toBeGreaterThanOrEqual(truth);
    // As sharp as the host's evidence: the headroom's bracket over this model's bytes per token.
    expect(prediction.hi - prediction.lo).toBeLessThan(
      (calibration.headroom.hi - calibration.headroom.lo) / gemma.kvBytesPerToken + 2,
    );
  });

  it("sets aside a base whose named KV caches disagree (another layout), and predicts nothing for it", () => {
    const odd = model("odd", 2, 64);
    const loads: HostLoad[] = [
      { ...asLoad(odd, simulateProbe(llamaCpp, odd, 300_000)), failedKvCacheBytes: 300_000 * 64 * KiB },
      { ...asLoad(odd, simulateProbe(llamaCpp, odd, 290_000)), failedKvCacheBytes: 290_000 * 96 * KiB },
    ];
    const calibration = calibrate(loads);
    expect(calibration.irregular.has("odd")).toBe(true);
  });
});

describe("fit without a guardrail, where out-of-memory texts name the KV cache", () => {
  const fleet = [
    model("a-3b", 2.0, 112),
    model("b-8b", 4.6, 128),
    model("b-8b@q8_0", 8.0, 128),
    model("c-7b", 4.4, 56, 131_072),
    model("d-12b", 6.8, 384, 131_072),
    model("e-14b", 8.4, 192, 131_072),
    model("f-4b", 2.5, 136, 131_072),
  ];

  function run(host: typeof bare) {
    const evidence: HostLoad[] = [];
    return fleet.map((m) => ({ m, result: searchModel(fitStrategy, host, m, undefined, evidence) }));
  }

  it("finds every limit, never above the truth, in fewer loads than without the figure and than lmstrix", () => {
    const named = run(llamaCpp);
    const unnamed = run(bare);
    for (const { m, result } of [...named, ...unnamed]) {
      expect(isWithinPrecision(result.limit, llamaCpp, m), m.modelKey).toBe(true);
    }
    const loads = (results: typeof named) =>
      results.reduce((sum, { result }) => sum + result.probes.length, 0);
    const lmstrix = fleet.reduce(
      (sum, m) => sum + searchModel(lmstrixSingleStrategy, llamaCpp, m).probes.length,
      0,
    );
    expect(loads(named)).toBeLessThan(loads(unnamed));
    expect(loads(named)).toBeLessThanOrEqual(0.5 * lmstrix);
    // A model measured by a failure is then predicted: a pass at the prediction, a failure one step above.
    const later = named.slice(1).map(({ result }) => result.steps.map((step) => step.phase));
    expect(later.some((phases) => phases.includes("predict") && phases.includes("confirm"))).toBe(true);
  });

  it("loads no speed reference where the arithmetic shows every pass fitted in memory", () => {
    const named = run(llamaCpp);
    const measured = named.filter(({ result }) => result.steps.some((step) => step.phase === "predict"));
    expect(measured.length).toBeGreaterThan(0);
    for (const { m, result } of measured) expect(result.probes, m.modelKey).not.toContain(2_048);
  });
});
