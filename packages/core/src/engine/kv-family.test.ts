import { describe, expect, it } from "vitest";
import { asLoad, GiB, KiB, type SimulatedModel, simulateProbe } from "../testing/memory-host";
import { kvFamilyKey } from "./kv-family";
import { withAgreeingFamilies } from "./kv-family-evidence";
import { calibrate, type HostLoad, predictLimit } from "./memory-model";

/** No guardrail; a load out of memory names the KV cache buffer it could not allocate, as llama.cpp does. */
const llamaCpp = { memoryBytes: 16 * GiB, guardrail: false, namesKvCache: true };
const headroom = 16 * GiB - 512 * 1024 ** 2;

function model(modelKey: string, gib: number, kvKiB: number): SimulatedModel {
  return { modelKey, sizeBytes: Math.round(gib * GiB), kvBytesPerToken: kvKiB * KiB, declared: 131_072 };
}

describe("kvFamilyKey", () => {
  it("is the architecture and parameter count where the host reports both, the base key otherwise", () => {
    const hermes = { modelKey: "hermes-3-llama-3.1-8b", architecture: "llama", params: "8B" };
    expect(kvFamilyKey(hermes)).toBe(
      kvFamilyKey({ modelKey: "meta-llama-3.1-8b-instruct@q8_0", architecture: "Llama", params: "8b" }),
    );
    expect(kvFamilyKey(hermes)).not.toBe(kvFamilyKey({ ...hermes, params: "3B" }));
    expect(kvFamilyKey({ modelKey: "qwen/qwen3-14b@q4_k_m", architecture: "qwen3", params: null })).toBe(
      "qwen/qwen3-14b",
    );
    expect(kvFamilyKey({ modelKey: "qwen/qwen3-14b" })).toBe("qwen/qwen3-14b");
  });
});

describe("a fine-tune predicted from another model of its architecture and parameter count", () => {
  const shape = { architecture: "llama", params: "8B" };
  const llama = model("meta-llama-3.1-8b-instruct", 4.58, 128);
  const hermes = model("hermes-3-llama-3.1-8b", 6.14, 128);
  const llamaLimit = Math.floor((headroom - llama.sizeBytes) / llama.kvBytesPerToken);
  // Llama measured the way the search would: a failure naming its KV cache, a pass and a failure at its limit.
  const host: HostLoad[] = [200_000, llamaLimit - 300, llamaLimit + 300].map((context) => ({
    ...asLoad(llama, simulateProbe(llamaCpp, llama, context)),
    ...shape,
  }));
  const truth = Math.floor((headroom - hermes.sizeBytes) / hermes.kvBytesPerToken);

  it("brackets its limit before it has loaded once, never above the truth", () => {
    const prediction = predictLimit(calibrate(host), host, { ...hermes, ...shape })!;
    expect(prediction.lo).toBeGreaterThan(0);
    expect(prediction.lo).toBeLessThanOrEqual(truth);
    expect(prediction.hi).toBeGreaterThanOrEqual(truth);
    // As sharp as the host's memory: 600 tokens of Llama's cache, over Hermes' (the same) bytes per token.
    expect(prediction.hi - prediction.lo).toBeLessThan(700);
  });

  it("predicts nothing from memory for a model whose shape the host does not report", () => {
    const prediction = predictLimit(calibrate(host), host, hermes);
    expect(prediction?.lo ?? 0).toBe(0);
    expect(prediction?.hi ?? Number.POSITIVE_INFINITY).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("withAgreeingFamilies", () => {
  const shape = { architecture: "phi3", params: "3.8B" };
  const phi35 = model("phi-3.5-mini-instruct", 2.2, 384);
  const phi4 = model("phi-4-mini-instruct", 3.8, 128);
  const phi35Limit = Math.floor((headroom - phi35.sizeBytes) / phi35.kvBytesPerToken);
  const measured: HostLoad[] = [63_488, phi35Limit - 100, phi35Limit + 300].map((context) => ({
    ...asLoad(phi35, simulateProbe(llamaCpp, phi35, context)),
    ...shape,
  }));

  it("keeps a shape whose models agree on one bytes-per-token figure", () => {
    const { split } = withAgreeingFamilies(measured);
    expect(split.size).toBe(0);
  });

  it("splits a shape whose models need other figures (other attention heads) back into their bases", () => {
    // Phi-4 mini loads far above what Phi-3.5 mini's cache per token would allow it.
    const pass = { ...asLoad(phi4, simulateProbe(llamaCpp, phi4, 64_000)), ...shape };
    expect(pass.passed).toBe(true);
    const { loads, split } = withAgreeingFamilies([...measured, pass]);
    expect(split.has(kvFamilyKey({ modelKey: phi4.modelKey, ...shape }))).toBe(true);
    const calibration = calibrate(loads);
    expect(calibration.consistent).toBe(true);
    const prediction = predictLimit(calibration, loads, phi4)!;
    const truth = Math.floor((headroom - phi4.sizeBytes) / phi4.kvBytesPerToken);
    expect(prediction.lo).toBeLessThanOrEqual(truth);
    expect(prediction.hi).toBeGreaterThanOrEqual(truth);
    // Phi-3.5 mini stays measured by its own loads: the family's disagreement does not set it aside.
    expect(calibration.irregular.size).toBe(0);
    const own = predictLimit(calibration, loads, phi35)!;
    expect(own.lo).toBeLessThanOrEqual(phi35Limit);
    expect(own.hi).toBeGreaterThanOrEqual(phi35Limit);
    expect(own.hi - own.lo).toBeLessThan(500);
  });
});
