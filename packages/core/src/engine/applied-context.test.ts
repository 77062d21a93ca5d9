import { describe, expect, it } from "vitest";
import { GiB, KiB, type SimulatedModel, searchModel } from "../testing/memory-host";
import {
  failingSize,
  hostRounding,
  ignoredRequestSize,
  isWithinRounding,
  roundedUp,
} from "./applied-context";
import { fitStrategy } from "./fit-search";
import type { HostLoad } from "./memory-model";
import { defaultPrecision, lmstrixSingleStrategy, type Observation, type Strategy } from "./search";

const host = { memoryBytes: 16 * GiB };
const STRATEGIES: [string, Strategy][] = [
  ["lmstrix", lmstrixSingleStrategy],
  ["fit", fitStrategy],
];

/** 4 GiB of weights and 128 KiB per token on 16 GiB: 94,208 tokens fit (the emulator's 8B model). */
function model8b(extra: Partial<SimulatedModel> = {}): SimulatedModel {
  return {
    modelKey: "plain-8b",
    sizeBytes: 4 * GiB,
    kvBytesPerToken: 128 * KiB,
    declared: 131_072,
    ...extra,
  };
}
const FITS_8B = 94_208;

function pass(requested: number, applied = requested): Observation {
  return { requested, applied, passed: true };
}

describe("rounding of the applied context", () => {
  it("counts a request rounded up by less than max(1,024, 1 %) as the request", () => {
    expect(isWithinRounding(40_000, 40_192)).toBe(true);
    expect(isWithinRounding(40_000, 40_000)).toBe(true);
    expect(isWithinRounding(2_048, 3_071)).toBe(true);
    expect(isWithinRounding(2_048, 3_072)).toBe(false);
    expect(isWithinRounding(200_000, 201_999)).toBe(true);
    expect(isWithinRounding(40_000, 39_999)).toBe(false);
    expect(isWithinRounding(4_096, 165_120)).toBe(false);
  });

  it.each(STRATEGIES)(
    "%s: the limit is what was applied and proven, a multiple of the rounding, never above the truth",
    (_name, strategy) => {
      const result = searchModel(strategy, host, model8b({ roundContext: 256 }));
      expect(result.limit! % 256).toBe(0);
      expect(result.limit).toBeLessThanOrEqual(FITS_8B);
      expect(FITS_8B - result.limit!).toBeLessThanOrEqual(defaultPrecision(FITS_8B));
      expect(result.reason).toMatch(/^found between /);
    },
  );

  it("a pass at 40,000 applied at 40,192 and a failure at 40,300 end at 40,192, not above", () => {
    const params = {
      declared: 131_072,
      threshold: 31_744,
      verifyContext: 2_048,
      previousBad: null,
      force: false,
    };
    const history = [pass(2_048), pass(40_000, 40_192), { requested: 40_300, applied: null, passed: false }];
    expect(lmstrixSingleStrategy(params, history)).toEqual({
      kind: "done",
      limit: 40_192,
      reason: "found between 40,192 and 40,300 tokens",
    });
  });

  it("reads the host's rounding step from rounded loads, and rounds requests like it", () => {
    const loads = [pass(40_000, 40_192), pass(34_918, 35_072), pass(2_048), pass(8_000, 8_192)];
    expect(hostRounding(loads)).toBe(256);
    expect(hostRounding([pass(2_048), { requested: 4_096, applied: null, passed: false }])).toBeNull();
    expect(roundedUp(94_209, 256)).toBe(94_464);
    expect(roundedUp(94_209, null)).toBe(94_209);
  });

  it("fit: refusals judged at the rounded size keep the prediction sharp (no more loads than unrounded)", () => {
    const fleet = [3, 4, 5, 6, 7].map((gib, index) =>
      model8b({ modelKey: `m${index}@q`, sizeBytes: gib * GiB, kvBytesPerToken: (64 + 32 * index) * KiB }),
    );
    const loadsOf = (round?: number) => {
      const evidence: HostLoad[] = [];
      return fleet.reduce((sum, m) => {
        const result = searchModel(fitStrategy, host, { ...m, roundContext: round }, undefined, evidence);
        return sum + result.probes.length;
      }, 0);
    };
    expect(loadsOf(256)).toBeLessThanOrEqual(loadsOf());
  });
});

describe("a request LM Studio ignores", () => {
  it("is seen only in two loads at different requests applied at one size, grown beyond rounding", () => {
    expect(ignoredRequestSize([pass(2_048, 12_345), pass(31_744, 12_345)])).toBe(12_345);
    expect(ignoredRequestSize([pass(2_048, 12_345)])).toBeNull();
    // Rounding, not ignoring: two requests rounded to one size.
    expect(ignoredRequestSize([pass(40_000, 40_192), pass(40_100, 40_192)])).toBeNull();
    // A cap, not ignoring: two requests above the size both loaded at it.
    expect(ignoredRequestSize([pass(50_000, 40_000), pass(60_000, 40_000)])).toBeNull();
  });

  it.each(STRATEGIES)(
    "%s: two loads, then the verdict and the size it loads as the limit",
    (_name, strategy) => {
      const result = searchModel(
        strategy,
        host,
        model8b({ declared: 65_536, ignoresRequestedContext: 40_000 }),
      );
      expect(result).toMatchObject({
        limit: 40_000,
        reason: "LM Studio on this host loads 40,000 whatever is asked",
      });
      expect(result.probes).toHaveLength(2);
      expect(new Set(result.probes).size).toBe(2);
    },
  );

  it("fit: no limit when the size it loads fails its check, after two loads", () => {
    const m = model8b({ declared: 65_536, ignoresRequestedContext: 40_000, crashAbove: 30_000 });
    const result = searchModel(fitStrategy, host, m);
    expect(result).toMatchObject({
      limit: null,
      reason: "LM Studio on this host loads 40,000 whatever is asked",
    });
    expect(result.probes).toHaveLength(2);
  });

  it.each(STRATEGIES)(
    "%s: one load when the first is already below the request: a cap",
    (_name, strategy) => {
      const result = searchModel(
        strategy,
        host,
        model8b({ declared: 32_768, ignoresRequestedContext: 1_500 }),
      );
      expect(result).toMatchObject({
        limit: 1_500,
        reason: /^LM Studio loaded 1,500 tokens when asked for /,
      });
      expect(result.probes).toHaveLength(1);
    },
  );

  it("loaded above the declared size at once: the declared size, with what LM Studio did, in one load", () => {
    const result = searchModel(
      lmstrixSingleStrategy,
      host,
      model8b({
        sizeBytes: 1 * GiB,
        kvBytesPerToken: 32 * KiB,
        declared: 128_000,
        ignoresRequestedContext: 165_120,
      }),
    );
    expect(result).toMatchObject({
      limit: 128_000,
      reason:
        "loads and answers at its declared context (LM Studio loaded 165,120 tokens when asked for 2,048)",
      probes: [2_048],
    });
  });
});

describe("auto-fit: a load applied below its request", () => {
  it.each(STRATEGIES)("%s: a fitted pass is the limit, at its applied size", (_name, strategy) => {
    const result = searchModel(strategy, host, model8b({ autoFit: true, roundContext: 256 }));
    expect(result.limit).toBe(FITS_8B);
    expect(result.reason).toMatch(/^LM Studio loaded 94,208 tokens when asked for /);
  });

  it("a fitted load that fails fails at its applied size", () => {
    expect(failingSize({ requested: 131_072, applied: 94_208, passed: false })).toBe(94_208);
    expect(failingSize({ requested: 40_000, applied: 40_192, passed: false })).toBe(40_000);
    expect(failingSize({ requested: 40_000, applied: null, passed: false })).toBe(40_000);
  });

  it.each(STRATEGIES)(
    "%s: after a fitted failure nothing above its applied size is asked again (no blind bisection above it)",
    (_name, strategy) => {
      const m = model8b({ autoFit: true, crashAbove: 60_000 });
      const result = searchModel(strategy, host, m);
      expect(result.limit).toBeLessThanOrEqual(59_999);
      expect(59_999 - result.limit!).toBeLessThanOrEqual(600);
      const fitted = result.probes.findIndex((probe) => probe > FITS_8B);
      if (fitted >= 0) {
        for (const probe of result.probes.slice(fitted + 1)) expect(probe).toBeLessThan(FITS_8B);
      }
    },
  );
});
