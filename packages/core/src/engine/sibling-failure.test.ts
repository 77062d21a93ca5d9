import { describe, expect, it } from "vitest";
import {
  asLoad,
  GiB,
  isWithinPrecision,
  KiB,
  LMSTRIX_DEFAULTS,
  type SimulatedModel,
  searchModel,
  simulateProbe,
} from "../testing/memory-host";
import { fitStrategy } from "./fit-search";
import { withoutShape } from "./kv-family-evidence";
import { calibrate, type HostLoad, predictLimit } from "./memory-model";
import type { Observation } from "./search";
import { siblingFailureAbove } from "./sibling-failure";

const host = { memoryBytes: 8 * GiB };
const llama = { architecture: "llama", params: "8B" };

function model(modelKey: string, gib: number, kvKiB = 128): SimulatedModel {
  return { modelKey, sizeBytes: Math.round(gib * GiB), kvBytesPerToken: kvKiB * KiB, declared: 131_072 };
}

/** A load of this run, of a model with the shape LM Studio reports for Llama 3.1 8B. */
function load(m: SimulatedModel, context: number, extra: Partial<HostLoad> = {}): HostLoad {
  return { ...asLoad(m, simulateProbe(host, m, context)), ...llama, inThisRun: true, ...extra };
}

/** The fit search of a model with Llama 3.1 8B's shape, on what `evidence` shows of the host. */
function searchShaped(m: SimulatedModel, evidence: readonly HostLoad[]) {
  const knowledge = { modelKey: m.modelKey, sizeBytes: m.sizeBytes, ...llama, evidence };
  const history: Observation[] = [];
  for (;;) {
    const step = fitStrategy({ ...LMSTRIX_DEFAULTS, declared: m.declared, knowledge }, history);
    if (step.kind === "done") return { ...step, probes: history.map((o) => o.requested) };
    history.push(simulateProbe(host, m, step.context));
  }
}

describe("siblingFailureAbove", () => {
  const base = model("meta-llama-3.1-8b-instruct", 4.58);
  const target = { modelKey: "hermes-3-llama-3.1-8b", sizeBytes: base.sizeBytes, ...llama };

  it("takes a memory failure of a model with the same shape and weights as large, above the pass", () => {
    const loads = [load(base, 23_865), load(base, 24_121), load(base, 30_000)];
    expect(loads[1]!.memoryFailure).toBe(true);
    expect(siblingFailureAbove(loads, target, 23_865)).toEqual({
      modelKey: base.modelKey,
      context: 24_121,
    });
    // A quantisation of the model's own base needs no shape: it shares the KV layout.
    const q3 = model("hermes-3-llama-3.1-8b@q3_k_l", 4.02);
    const quantised = [{ ...load(q3, 40_000), architecture: null, params: null }];
    expect(siblingFailureAbove(quantised, target, 30_000)?.context).toBe(40_000);
  });

  it("takes nothing that does not prove this model fails there", () => {
    const lighter = model("mistral-7b-instruct", 4.26);
    const heavier = model("meta-llama-3.1-8b-instruct@q5_k_m", 4.7);
    const none = (loads: HostLoad[], keyed = target) => siblingFailureAbove(loads, keyed, 23_000);
    // Weights 7 % lighter: no evidence of the same tensors, whatever the shape says.
    expect(none([load(lighter, 30_000)])).toBeNull();
    // Heavier weights need more memory: their failure says nothing of lighter ones.
    expect(none([load(heavier, 30_000)])).toBeNull();
    // Another run: memory may have changed since.
    expect(none([load(base, 30_000, { inThisRun: false })])).toBeNull();
    // A crash is no memory failure; a failure below the pass is no bound above it.
    expect(none([load(base, 30_000, { memoryFailure: false })])).toBeNull();
    expect(none([load(base, 22_000)])).toBeNull();
    // A shape whose models disagree on their KV cache is no family: both are keyed by base alone then.
    expect(none([withoutShape(load(base, 30_000))], withoutShape(target))).toBeNull();
    // The model's own earlier failure is tested again, not taken.
    expect(none([{ ...load(base, 30_000), modelKey: target.modelKey }])).toBeNull();
  });
});

describe("fit strategy with a sibling's failure", () => {
  it("measures a fine-tune of a measured model in one load: its pass, below the sibling's refusal", () => {
    const calibration: HostLoad[] = [];
    for (const m of [model("a", 2, 112), model("b", 2.2, 384)]) {
      searchModel(fitStrategy, host, m, LMSTRIX_DEFAULTS, calibration);
    }
    const evidence: HostLoad[] = calibration.map((loaded) => ({ ...loaded, inThisRun: true }));
    const base = model("meta-llama-3.1-8b-instruct", 4.58);
    const first = searchShaped(base, evidence);
    evidence.push(...first.probes.map((probe) => load(base, probe)));
    expect(first.probes.length).toBeGreaterThanOrEqual(2);

    const finetune = model("hermes-3-llama-3.1-8b", 4.58);
    const result = searchShaped(finetune, evidence);
    expect(result.probes).toHaveLength(1);
    expect(isWithinPrecision(result.limit, host, finetune)).toBe(true);
    expect(result.reason).toContain("meta-llama-3.1-8b-instruct, sharing its KV cache");

    // With another KV layout under the same shape and weights 7 % apart, the model proves its own end.
    const other = model("llama-2-7b-chat", 4.26, 512);
    const own = searchShaped(other, evidence);
    expect(isWithinPrecision(own.limit, host, other)).toBe(true);
    expect(own.reason).not.toContain("sharing its KV cache");
  });
});

describe("fit strategy, a model its shape alone predicts (behind a guardrail)", () => {
  const calibration: HostLoad[] = [];
  for (const m of [model("a", 2, 112), model("b", 2.2, 384)]) {
    searchModel(fitStrategy, host, m, LMSTRIX_DEFAULTS, calibration);
  }
  const base = model("meta-llama-3.1-8b-instruct", 4.58);
  const evidence: HostLoad[] = calibration.map((loaded) => ({ ...loaded, inThisRun: true }));
  evidence.push(...searchShaped(base, evidence).probes.map((probe) => load(base, probe)));

  it("is refused one step above the prediction first, then passes at it: two loads, none wasted", () => {
    const hermes = model("hermes-3-llama-3.1-8b", 6.14);
    const result = searchShaped(hermes, evidence);
    expect(result.probes).toHaveLength(2);
    expect(result.probes[0]).toBeGreaterThan(result.probes[1]!);
    expect(simulateProbe(host, hermes, result.probes[0]!).requiredBytes).not.toBeNull();
    expect(isWithinPrecision(result.limit, host, hermes)).toBe(true);
  });

  it("loads there when the shape is wrong about it, and goes on to measure itself", () => {
    const smallerCache = model("other-layout-8b", 3.8, 32);
    const result = searchShaped(smallerCache, evidence);
    expect(simulateProbe(host, smallerCache, result.probes[0]!).passed).toBe(true);
    expect(result.probes.length).toBeLessThanOrEqual(4);
    expect(isWithinPrecision(result.limit, host, smallerCache)).toBe(true);
  });
});

describe("predictLimit, a model that crashes below what memory allows", () => {
  it("takes another model's pass for what memory allows, not for a size this one is sure to reach", () => {
    const calibration: HostLoad[] = [];
    for (const m of [model("a", 2, 112), model("b", 2.2, 384)]) {
      searchModel(fitStrategy, host, m, LMSTRIX_DEFAULTS, calibration);
    }
    const base = model("meta-llama-3.1-8b-instruct", 4.58);
    const measured = searchShaped(base, calibration).probes.map((probe) => load(base, probe));
    // The same tensors, declared at 16,384: it passed there.
    const short = { ...load(base, 16_384), modelKey: "llama-3.1-8b-16k" };
    const target = { modelKey: "crashy-llama-3.1-8b", sizeBytes: base.sizeBytes, ...llama };
    const crash: HostLoad = { ...load(base, 20_000), modelKey: target.modelKey, passed: false };
    const loads = [...calibration, ...measured, short, crash];
    const prediction = predictLimit(calibrate(loads), loads, target)!;
    // The crash, not memory, bounds it: nothing says it reaches 16,384 (it may crash there too).
    expect(prediction.hi).toBe(19_999);
    expect(prediction.lo).toBe(0);
  });
});
