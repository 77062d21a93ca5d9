import { describe, expect, it } from "vitest";
import { GiB, isWithinPrecision, KiB, type SimulatedModel, searchModel } from "../testing/memory-host";
import { fitStrategy } from "./fit-search";
import type { HostLoad } from "./memory-model";
import { closingStepAbove, defaultPrecision } from "./search";

const host = { memoryBytes: 24 * GiB };

function model(extra: Partial<SimulatedModel>): SimulatedModel {
  return {
    modelKey: "llama-8b",
    sizeBytes: 4.6 * GiB,
    kvBytesPerToken: 64 * KiB,
    declared: 1_048_576,
    ...extra,
  };
}

describe("fit after a failure that is not memory's", () => {
  it("tries the power of two below it, and confirms a pass there one step above", () => {
    const m = model({ loadFailsAbove: 65_536 });
    const result = searchModel(fitStrategy, host, m, undefined, []);
    expect(isWithinPrecision(result.limit, host, m)).toBe(true);
    const at = result.probes.indexOf(65_536);
    expect(at).toBeGreaterThan(0);
    expect(result.probes[at + 1]).toBe(65_536 + closingStepAbove({}, 65_536));
    expect(result.probes.length).toBeLessThanOrEqual(at + 2);
  });

  it("after a crash at the power of two itself, tries one precision step below it", () => {
    const m = model({ crashAbove: 32_768 });
    const result = searchModel(fitStrategy, host, m, undefined, []);
    expect(isWithinPrecision(result.limit, host, m)).toBe(true);
    const at = result.probes.indexOf(32_768);
    expect(at).toBeGreaterThan(0);
    expect(result.probes[at + 1]).toBe(32_768 - defaultPrecision(32_768));
    expect(result.limit).toBe(32_768 - defaultPrecision(32_768));
  });

  it("bisects as before when the guesses fail, still within the precision", () => {
    const evidence: HostLoad[] = [];
    for (const crashAbove of [32_000, 40_000]) {
      const m = model({ modelKey: `crash-${crashAbove}`, crashAbove });
      const result = searchModel(fitStrategy, host, m, undefined, evidence);
      expect(isWithinPrecision(result.limit, host, m), m.modelKey).toBe(true);
    }
  });
});
