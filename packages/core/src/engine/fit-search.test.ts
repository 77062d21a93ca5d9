import { describe, expect, it } from "vitest";
import {
  type BaseParams,
  GiB,
  hiddenLimit,
  isWithinPrecision,
  KiB,
  LMSTRIX_DEFAULTS,
  type SimulatedHost,
  type SimulatedModel,
  searchModel,
} from "../testing/memory-host";
import { fitStrategy } from "./fit-search";
import type { HostLoad } from "./memory-model";
import { lmstrixSingleStrategy, type Strategy } from "./search";

function model(modelKey: string, gib: number, kvKiB: number, declared = 131_072, extra = {}): SimulatedModel {
  return { modelKey, sizeBytes: Math.round(gib * GiB), kvBytesPerToken: kvKiB * KiB, declared, ...extra };
}

/** Searches a fleet model after model on one host, the way `--all` does, sharing what the host showed. */
function searchFleet(
  strategy: Strategy,
  host: SimulatedHost,
  models: SimulatedModel[],
  params: BaseParams = LMSTRIX_DEFAULTS,
  evidence: HostLoad[] = [],
) {
  return models.map((m) => ({ model: m, ...searchModel(strategy, host, m, params, evidence) }));
}

/** A deterministic pseudo-random sequence (mulberry32), so that the random fleets are the same every run. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function randomFleet(seed: number, count: number): SimulatedModel[] {
  const next = random(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const bases = Array.from({ length: Math.ceil(count / 2) }, (_, index) => ({
    key: `base-${seed}-${index}`,
    kvKiB: pick([28, 32, 56, 64, 96, 112, 128, 144, 160, 192, 384, 800]),
    declared: pick([4_096, 8_192, 32_768, 40_960, 65_536, 131_072, 262_144, 1_048_576]),
    gib: 0.5 + next() * 11,
  }));
  return Array.from({ length: count }, (_, index) => {
    const base = pick(bases);
    // Quantisations of one base: the same KV cache per token, different weights.
    const quant = pick(["q8_0", "q4_k_m", "q3_k_l"]);
    const gib = base.gib * (quant === "q8_0" ? 1.7 : quant === "q3_k_l" ? 0.8 : 1) + index * 0.001;
    return model(`${base.key}@${quant}-${index}`, gib, base.kvKiB, base.declared);
  }).sort((a, b) => a.sizeBytes - b.sizeBytes);
}

describe("fit strategy", () => {
  it.each([8, 12, 16, 24, 48])(
    "finds every limit of a random %i GiB fleet within the precision, never above it",
    (gib) => {
      const host = { memoryBytes: gib * GiB };
      const fleet = randomFleet(gib, 40);
      for (const result of searchFleet(fitStrategy, host, fleet)) {
        expect(isWithinPrecision(result.limit, host, result.model), result.modelKey).toBe(true);
      }
    },
  );

  it("needs far fewer loads than lmstrix's search on the same fleet", () => {
    const host = { memoryBytes: 16 * GiB };
    const fleet = randomFleet(7, 40);
    const loads = (strategy: Strategy) =>
      searchFleet(strategy, host, fleet).reduce((sum, result) => sum + result.probes.length, 0);
    // Not the benchmark's target (measured by `pnpm bench:search`), only a guard against a regression.
    expect(loads(fitStrategy)).toBeLessThan(loads(lmstrixSingleStrategy) / 2);
  });

  it("is never credited above what LM Studio applied", () => {
    const host = { memoryBytes: 16 * GiB };
    const reduced = model("reduced", 4, 56, 1_024_000, { silentReduce: 131_072 });
    const result = searchModel(fitStrategy, host, reduced, LMSTRIX_DEFAULTS, []);
    expect(result.limit).toBe(131_072);
    expect(result.reason).toContain("LM Studio loaded 131,072 tokens when asked for");
  });

  it("starts like lmstrix on a host it knows nothing about: the threshold, then doubling", () => {
    const host = { memoryBytes: 16 * GiB };
    const result = searchModel(fitStrategy, host, model("first", 1, 32), LMSTRIX_DEFAULTS, []);
    expect(result.probes).toEqual([31_744, 63_488, 126_976, 131_072]);
    expect(result.limit).toBe(131_072);
  });

  it("measures a model in three loads once the host is calibrated: refusal, pass, confirming failure", () => {
    const host = { memoryBytes: 16 * GiB };
    const evidence: HostLoad[] = [];
    searchFleet(fitStrategy, host, [model("a", 2, 112), model("b", 2.2, 384)], LMSTRIX_DEFAULTS, evidence);
    const fresh = model("c", 4.6, 128);
    const result = searchModel(fitStrategy, host, fresh, LMSTRIX_DEFAULTS, evidence);
    expect(result.steps.map((step) => step.phase)).toEqual(["explore", "predict", "confirm"]);
    expect(result.probes[0]).toBe(131_072);
    expect(isWithinPrecision(result.limit, host, fresh)).toBe(true);
  });

  it("keeps to a threshold the user set at first, behind a guardrail too, then goes on as usual", () => {
    const host = { memoryBytes: 16 * GiB };
    const evidence: HostLoad[] = [];
    searchFleet(fitStrategy, host, [model("a", 2, 112), model("b", 2.2, 384)], LMSTRIX_DEFAULTS, evidence);
    const fresh = model("c", 4.6, 128);
    const result = searchModel(
      fitStrategy,
      host,
      fresh,
      { ...LMSTRIX_DEFAULTS, threshold: 16_384 },
      evidence,
    );
    expect(result.probes[0]).toBe(16_384);
    expect(result.probes.slice(1)).toContain(131_072);
    expect(isWithinPrecision(result.limit, host, fresh)).toBe(true);
  });

  it("measures a quantisation in two loads once a sibling is known (same KV cache per token)", () => {
    const host = { memoryBytes: 16 * GiB };
    const evidence: HostLoad[] = [];
    searchFleet(fitStrategy, host, [model("a", 2, 112), model("b", 2.2, 384)], LMSTRIX_DEFAULTS, evidence);
    searchModel(fitStrategy, host, model("llama-8b", 4.6, 128), LMSTRIX_DEFAULTS, evidence);
    for (const [key, gib] of [
      ["llama-8b@q8_0", 7.95],
      ["llama-8b@q3_k_l", 4.02],
    ] as const) {
      const sibling = model(key, gib, 128);
      const result = searchModel(fitStrategy, host, sibling, LMSTRIX_DEFAULTS, evidence);
      expect(result.probes, key).toHaveLength(2);
      expect(result.steps.at(-1)?.phase, key).toBe("confirm");
      expect(isWithinPrecision(result.limit, host, sibling), key).toBe(true);
    }
  });

  it("tests a model again in two loads from its earlier results on the host", () => {
    const host = { memoryBytes: 16 * GiB };
    const evidence: HostLoad[] = [];
    const again = model("again", 5, 160);
    const first = searchModel(fitStrategy, host, again, LMSTRIX_DEFAULTS, evidence);
    const second = searchModel(fitStrategy, host, again, LMSTRIX_DEFAULTS, evidence);
    expect(first.probes.length).toBeGreaterThan(2);
    expect(second.probes).toHaveLength(2);
    expect(second.limit).toBe(first.limit);
  });

  it("loads the declared size at once when the evidence says it fits", () => {
    const host = { memoryBytes: 16 * GiB };
    const evidence: HostLoad[] = [];
    searchFleet(fitStrategy, host, [model("a", 2, 112), model("b", 2.2, 384)], LMSTRIX_DEFAULTS, evidence);
    const small = model("small", 3, 36, 32_768);
    const result = searchModel(fitStrategy, host, small, LMSTRIX_DEFAULTS, evidence);
    expect(result).toMatchObject({ probes: [32_768], limit: 32_768 });
  });

  it("fails a model that cannot load at all with one load once the host is calibrated", () => {
    const host = { memoryBytes: 8 * GiB };
    const evidence: HostLoad[] = [];
    searchFleet(fitStrategy, host, [model("a", 1, 112), model("b", 1.2, 384)], LMSTRIX_DEFAULTS, evidence);
    const result = searchModel(fitStrategy, host, model("too-big", 7.7, 128), LMSTRIX_DEFAULTS, evidence);
    expect(result).toMatchObject({ limit: null, probes: [2_048] });
    expect(result.reason).toBe("does not load and answer even at 2,048 tokens");
  });

  it("falls back to bisection when a non-memory failure contradicts the prediction", () => {
    const host = { memoryBytes: 16 * GiB };
    const evidence: HostLoad[] = [];
    searchFleet(fitStrategy, host, [model("a", 2, 112), model("b", 2.2, 384)], LMSTRIX_DEFAULTS, evidence);
    const faulty = [
      model("load-fails", 4.6, 128, 1_048_576, { loadFailsAbove: 65_536 }),
      model("hangs", 4.6, 128, 524_288, { hangAbove: 50_000 }),
      model("crashes", 8.4, 192, 131_072, { crashAbove: 32_768 }),
      model("crashes-low", 1, 32, 131_072, { crashAbove: 3_000 }),
    ];
    for (const m of faulty) {
      const result = searchModel(fitStrategy, host, m, LMSTRIX_DEFAULTS, evidence);
      expect(isWithinPrecision(result.limit, host, m), m.modelKey).toBe(true);
      expect(
        result.steps.some((step) => step.phase === "bisect"),
        m.modelKey,
      ).toBe(true);
    }
  });

  it("stays correct when the evidence comes from a host whose memory has changed since", () => {
    const before = { memoryBytes: 16 * GiB };
    const fleet = randomFleet(3, 20);
    for (const gib of [12, 24]) {
      const evidence: HostLoad[] = [];
      searchFleet(fitStrategy, before, fleet, LMSTRIX_DEFAULTS, evidence);
      const after = { memoryBytes: gib * GiB };
      for (const result of searchFleet(fitStrategy, after, fleet, LMSTRIX_DEFAULTS, evidence)) {
        expect(isWithinPrecision(result.limit, after, result.model), `${gib}: ${result.modelKey}`).toBe(true);
      }
    }
  });

  it("stays correct when LM Studio's memory needs follow another formula than the model's", () => {
    // A KV cache that grows faster than linearly, and an overhead that depends on the model.
    const host: SimulatedHost = {
      memoryBytes: 16 * GiB,
      required: (m, c) => m.sizeBytes * 1.1 + 300 * 1024 ** 2 + c * m.kvBytesPerToken + c * c * 2,
    };
    for (const result of searchFleet(fitStrategy, host, randomFleet(11, 30))) {
      expect(isWithinPrecision(result.limit, host, result.model), result.modelKey).toBe(true);
    }
  });

  it("stays correct on a host without LM Studio's guardrail, and never jumps blindly there", () => {
    const host = { memoryBytes: 16 * GiB, guardrail: false };
    const needs = (m: SimulatedModel, context: number) =>
      m.sizeBytes + 512 * 1024 ** 2 + context * m.kvBytesPerToken;
    // The most memory a load that passed on this host has held so far.
    let provenBytes = 0;
    for (const result of searchFleet(fitStrategy, host, randomFleet(5, 24))) {
      expect(isWithinPrecision(result.limit, host, result.model), result.modelKey).toBe(true);
      // Out of memory without a guardrail may freeze a machine: every probe is either lmstrix's caution (the
      // threshold first, then at most doubling a pass), or no bigger than what the host has already held.
      const truth = hiddenLimit(host, result.model);
      for (const [index, probe] of result.probes.entries()) {
        const passed = result.probes.slice(0, index).filter((size) => size <= truth);
        const cautious = probe <= (passed.length > 0 ? Math.max(...passed) * 2 : 31_744);
        expect(cautious || needs(result.model, probe) <= provenBytes, `${result.modelKey} at ${probe}`).toBe(
          true,
        );
        if (probe <= truth) provenBytes = Math.max(provenBytes, needs(result.model, probe));
      }
    }
  });

  it("works without any knowledge (its own refusals still measure the model)", () => {
    const host = { memoryBytes: 16 * GiB };
    for (const m of randomFleet(13, 20)) {
      const result = searchModel(fitStrategy, host, m);
      expect(isWithinPrecision(result.limit, host, m), m.modelKey).toBe(true);
    }
  });

  it("honours a user precision", () => {
    const host = { memoryBytes: 16 * GiB };
    const params = { ...LMSTRIX_DEFAULTS, precision: 16 };
    for (const result of searchFleet(fitStrategy, host, randomFleet(17, 12), params)) {
      expect(isWithinPrecision(result.limit, host, result.model, params), result.modelKey).toBe(true);
    }
  });

  it("starts below 75 % of a previous bad size unless forced, like lmstrix", () => {
    const host = { memoryBytes: 16 * GiB };
    const m = model("marked", 1, 32);
    const marked = { ...LMSTRIX_DEFAULTS, previousBad: 20_000 };
    const result = searchModel(fitStrategy, host, m, marked, []);
    expect(result.probes[0]).toBe(15_000);
    expect(isWithinPrecision(result.limit, host, m)).toBe(true);
    expect(searchModel(fitStrategy, host, m, { ...marked, force: true }, []).probes[0]).toBe(31_744);
  });

  it("fails a model that does not load at its verify size, and verifies below 2,048 when declared is smaller", () => {
    const host = { memoryBytes: 16 * GiB };
    const hopeless = searchModel(fitStrategy, host, model("hopeless", 1, 32, 131_072, { crashAbove: 1_000 }));
    expect(hopeless.limit).toBeNull();
    expect(hopeless.probes.at(-1)).toBe(2_048);
    expect(searchModel(fitStrategy, host, model("tiny", 1, 32, 1_024)).limit).toBe(1_024);
  });

  it("never probes a size twice, above the declared size, or below the verify size", () => {
    for (const gib of [8, 16]) {
      const host = { memoryBytes: gib * GiB };
      for (const result of searchFleet(fitStrategy, host, randomFleet(gib + 100, 30))) {
        expect(new Set(result.probes).size, result.modelKey).toBe(result.probes.length);
        const verify = Math.min(2_048, result.model.declared);
        for (const probe of result.probes) {
          expect(probe).toBeLessThanOrEqual(result.model.declared);
          expect(probe).toBeGreaterThanOrEqual(verify);
        }
      }
    }
  });
});

describe("fit strategy, testing a model again", () => {
  it.each([
    ["load-fails", { loadFailsAbove: 65_536 }],
    ["hangs", { hangAbove: 65_536 }],
    ["crashes", { crashAbove: 32_768 }],
  ])("trusts the model's own earlier failure (%s) over what memory would allow", (key, fault) => {
    const host = { memoryBytes: 16 * GiB };
    const evidence: HostLoad[] = [];
    searchFleet(fitStrategy, host, [model("a", 2, 112), model("b", 2.2, 384)], LMSTRIX_DEFAULTS, evidence);
    const faulty = model(key, 4.6, 128, 1_048_576, fault);
    const first = searchModel(fitStrategy, host, faulty, LMSTRIX_DEFAULTS, evidence);
    const second = searchModel(fitStrategy, host, faulty, LMSTRIX_DEFAULTS, evidence);
    expect(isWithinPrecision(first.limit, host, faulty)).toBe(true);
    expect(isWithinPrecision(second.limit, host, faulty)).toBe(true);
    // Straight to its earlier limit and one step above: no load where memory, not the fault, is the bound.
    expect(second.probes).toHaveLength(2);
    expect(second.steps.map((step) => step.phase)).toEqual(["predict", "confirm"]);
  });
});
