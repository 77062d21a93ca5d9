import { describe, expect, it } from "vitest";
import {
  defaultPrecision,
  lmstrixBatchStrategy,
  lmstrixSingleStrategy,
  type Observation,
  type SearchParams,
  type Strategy,
} from "./search";

/** Runs a strategy against a model that loads up to `truth` tokens (and, optionally, caps what it applies). */
function search(strategy: Strategy, params: SearchParams, truth: number, cap = Number.POSITIVE_INFINITY) {
  const history: Observation[] = [];
  for (let step = 0; step < 200; step += 1) {
    const next = strategy(params, history);
    if (next.kind === "done") return { ...next, probes: history.map((o) => o.requested) };
    const applied = Math.min(next.context, cap);
    const passed = applied <= truth;
    history.push({ requested: next.context, applied: passed ? applied : null, passed });
  }
  throw new Error("search did not finish");
}

const base: SearchParams = {
  declared: 131_072,
  threshold: 31_744,
  verifyContext: 2_048,
  previousBad: null,
  force: false,
};

describe.each([
  ["single", lmstrixSingleStrategy],
  ["batch", lmstrixBatchStrategy],
])("lmstrix %s strategy", (_name, strategy) => {
  it.each([2_048, 5_000, 31_744, 60_000, 100_001, 131_071])(
    "finds a hidden limit of %i within the precision and never above it",
    (truth) => {
      const result = search(strategy, base, truth);
      expect(result.limit).not.toBeNull();
      expect(result.limit!).toBeLessThanOrEqual(truth);
      expect(truth - result.limit!).toBeLessThanOrEqual(defaultPrecision(truth + defaultPrecision(truth)));
    },
  );

  it("credits the declared context when the model loads it", () => {
    expect(search(strategy, base, 10_000_000)).toMatchObject({
      limit: 131_072,
      reason: "loads and answers at its declared context",
    });
  });

  it("fails a model that does not even load at the verify size", () => {
    const result = search(strategy, base, 1_000);
    expect(result).toMatchObject({ limit: null });
    expect(result.probes).toEqual([2_048]);
  });

  it("verifies at the declared size when it is below 2,048", () => {
    expect(search(strategy, { ...base, declared: 1_024 }, 4_096)).toMatchObject({ limit: 1_024 });
  });

  it("is never credited above what LM Studio applied", () => {
    const result = search(strategy, base, 100_000, 16_384);
    expect(result.limit).toBe(16_384);
    expect(result.reason).toContain("LM Studio loaded 16,384 tokens when asked for");
  });

  it("says between which sizes it found the limit, with thousands separators", () => {
    const result = search(lmstrixSingleStrategy, base, 40_000);
    expect(result.reason).toMatch(/^found between \d{2},\d{3} and \d{2},\d{3} tokens$/);
  });

  it("honours a user precision", () => {
    const result = search(strategy, { ...base, precision: 1 }, 50_000);
    expect(result.limit).toBe(50_000);
  });
});

describe("lmstrix single strategy", () => {
  it("probes verify, then min(threshold, declared), then steps up by 10 %", () => {
    const result = search(lmstrixSingleStrategy, base, 40_000);
    expect(result.probes.slice(0, 4)).toEqual([2_048, 31_744, 34_918, 38_409]);
  });

  it("starts at 75 % of a previous bad size unless forced", () => {
    expect(search(lmstrixSingleStrategy, { ...base, previousBad: 20_000 }, 100_000).probes[1]).toBe(15_000);
    expect(
      search(lmstrixSingleStrategy, { ...base, previousBad: 20_000, force: true }, 100_000).probes[1],
    ).toBe(31_744);
  });
});

describe("lmstrix batch strategy", () => {
  it("doubles up to the threshold, then steps up by 10 %", () => {
    const result = search(lmstrixBatchStrategy, base, 40_000);
    expect(result.probes.slice(0, 7)).toEqual([2_048, 4_096, 8_192, 16_384, 31_744, 34_918, 38_409]);
  });

  it("stops at 75 % of a previous bad size unless forced", () => {
    const result = search(lmstrixBatchStrategy, { ...base, previousBad: 20_000 }, 100_000);
    expect(result.limit).toBe(15_000);
    expect(result.reason).toBe("stopped at 75% of the previous bad size 20,000");
  });
});
