import { describe, expect, it } from "vitest";
import {
  asLoad,
  GiB,
  hiddenLimit,
  KiB,
  SIMULATED_OVERHEAD_BYTES,
  type SimulatedModel,
  simulateProbe,
} from "../testing/memory-host";
import { baseKey, calibrate, type HostLoad, hasGuardrail, predictLimit } from "./memory-model";
import { closingStepAbove } from "./search";

const host = { memoryBytes: 16 * GiB };

function model(modelKey: string, gib: number, kvKiB: number): SimulatedModel {
  return { modelKey, sizeBytes: Math.round(gib * GiB), kvBytesPerToken: kvKiB * KiB, declared: 131_072 };
}

function load(m: SimulatedModel, context: number): HostLoad {
  return asLoad(m, simulateProbe(host, m, context));
}

describe("baseKey", () => {
  it("is the model key before @: quantisations of one model share it", () => {
    expect(baseKey("qwen/qwen3-14b@q4_k_m")).toBe("qwen/qwen3-14b");
    expect(baseKey("qwen/qwen3-14b")).toBe("qwen/qwen3-14b");
  });
});

describe("calibrate", () => {
  const llama = model("llama-8b", 4.58, 128);

  it("gets bytes per token and the overhead from two refusals of one model", () => {
    const loads = [load(llama, 131_072), load(llama, 100_000)];
    expect(loads.every((l) => l.requiredBytes !== null && !l.passed)).toBe(true);
    const calibration = calibrate(loads);
    expect(calibration.consistent).toBe(true);
    const k = calibration.bases.get("llama-8b")!.kvBytesPerToken;
    expect(k.lo).toBeLessThanOrEqual(128 * KiB);
    expect(k.hi).toBeGreaterThanOrEqual(128 * KiB);
    expect((k.hi - k.lo) / (128 * KiB)).toBeLessThan(0.01);
    expect(calibration.overhead.lo).toBeLessThanOrEqual(SIMULATED_OVERHEAD_BYTES);
    expect(calibration.overhead.hi).toBeGreaterThanOrEqual(SIMULATED_OVERHEAD_BYTES);
    // The memory is only bounded above by refusals until something loads.
    expect(calibration.memory.hi).toBeGreaterThan(host.memoryBytes);
    expect(calibration.memory.lo).toBe(0);
  });

  it("brackets the host's memory between what loaded and what was refused", () => {
    const truth = hiddenLimit(host, llama);
    const calibration = calibrate([load(llama, 131_072), load(llama, truth - 300), load(llama, truth + 300)]);
    expect(calibration.memory.lo).toBeLessThanOrEqual(host.memoryBytes);
    expect(calibration.memory.hi).toBeGreaterThanOrEqual(host.memoryBytes);
    // 600 tokens × 128 KiB, plus the rounding of the stated requirement.
    expect(calibration.memory.hi - calibration.memory.lo).toBeLessThan(0.1 * GiB);
  });

  it("takes no figure from refusals of a silently reduced load, which state one requirement for any request", () => {
    const reduced = { ...model("qwen-1m", 4.36, 56), declared: 1_024_000, silentReduce: 131_072 };
    const small = { memoryBytes: 8 * GiB };
    const refusals = [1_024_000, 410_000, 206_000, 104_000, 80_000].map((context) =>
      asLoad(reduced, simulateProbe(small, reduced, context)),
    );
    expect(refusals[0]?.requiredBytes).toBe(refusals[1]?.requiredBytes);
    const calibration = calibrate(refusals);
    expect(calibration.consistent).toBe(true);
    expect(calibration.irregular.has("qwen-1m")).toBe(false);
    const k = calibration.bases.get("qwen-1m")!.kvBytesPerToken;
    expect(k.lo).toBeLessThanOrEqual(56 * KiB);
    expect(k.hi).toBeGreaterThanOrEqual(56 * KiB);
    expect((k.hi - k.lo) / (56 * KiB)).toBeLessThan(0.02);
  });

  it("sets aside a base whose own refusals contradict the model, and keeps the others", () => {
    const odd = model("odd", 2, 64);
    const loads: HostLoad[] = [
      load(llama, 131_072),
      load(llama, 100_000),
      // Refused twice with the same stated requirement at very different sizes (a silently reduced load).
      { ...load(odd, 500_000), requiredBytes: 30 * GiB },
      { ...load(odd, 400_000), requiredBytes: 31 * GiB },
    ];
    const calibration = calibrate(loads);
    expect(calibration.consistent).toBe(true);
    expect([...calibration.irregular]).toEqual(["odd"]);
    expect(calibration.bases.has("llama-8b")).toBe(true);
  });

  it("knows whether the host's guardrail has refused loads with a stated requirement", () => {
    expect(hasGuardrail([load(llama, 131_072)])).toBe(true);
    expect(hasGuardrail([load(llama, 2_048)])).toBe(false);
    expect(hasGuardrail([{ ...load(llama, 131_072), requiredBytes: null }])).toBe(false);
  });
});

describe("predictLimit", () => {
  const calibrating = [model("a", 2, 112), model("b", 2.2, 384)];
  /** A host measured the way a search leaves it: refusals, and a pass and a failure around each limit. */
  function measured(models: SimulatedModel[]): HostLoad[] {
    return models.flatMap((m) => {
      const truth = hiddenLimit(host, m);
      return [load(m, 131_072), load(m, truth - 100), load(m, truth + 150)];
    });
  }

  it("predicts a new base's limit from one refusal once the host is calibrated", () => {
    const fresh = model("fresh", 4.6, 128);
    const loads = [...measured(calibrating), load(fresh, 131_072)];
    const prediction = predictLimit(calibrate(loads), loads, fresh)!;
    const truth = hiddenLimit(host, fresh);
    expect(prediction.lo).toBeLessThanOrEqual(truth);
    expect(prediction.hi).toBeGreaterThanOrEqual(truth);
    // Narrower than the precision there (1 %): a pass at `lo` and a failure one step above end the search.
    expect(prediction.hi - prediction.lo).toBeLessThan(closingStepAbove({}, prediction.lo));
  });

  it("predicts a quantisation from its sibling's bytes per token, with no load of its own", () => {
    const q4 = model("llama@q4_k_m", 4.58, 128);
    const q8 = model("llama@q8_0", 7.95, 128);
    const loads = measured([...calibrating, q4]);
    const prediction = predictLimit(calibrate(loads), loads, q8)!;
    const truth = hiddenLimit(host, q8);
    expect(prediction.lo).toBeLessThanOrEqual(truth);
    expect(prediction.hi).toBeGreaterThanOrEqual(truth);
    expect(prediction.hi - prediction.lo).toBeLessThan(closingStepAbove({}, prediction.lo));
  });

  it("compares siblings without arithmetic: a larger one that loaded, a smaller one refused", () => {
    const small = model("m@q3", 3, 128);
    const large = model("m@q8", 6, 128);
    const middle = model("m@q5", 4.5, 128);
    const loads = [
      { ...load(large, 40_000), requiredBytes: null },
      { ...load(small, 120_000), requiredBytes: null },
    ];
    expect(loads[0]!.passed && !loads[1]!.passed && loads[1]!.memoryFailure).toBe(true);
    expect(predictLimit(calibrate(loads), loads, middle)).toEqual({ lo: 40_000, hi: 119_999 });
  });

  it("says when a model cannot load at all", () => {
    const huge = model("huge", 15.8, 128);
    const loads = measured(calibrating);
    expect(predictLimit(calibrate(loads), loads, huge)?.hi).toBe(-1);
  });

  it("predicts nothing it has no evidence for", () => {
    expect(predictLimit(calibrate([]), [], model("x", 4, 128))).toEqual({
      lo: 0,
      hi: Number.POSITIVE_INFINITY,
    });
  });
});
