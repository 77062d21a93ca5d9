import { describe, expect, it } from "vitest";
import type { SpeedProbe } from "../domain/comfortable-limit";
import {
  type ComparisonModel,
  compareModels,
  comparisonSelectionProblem,
  DEFAULT_COMFORT_THRESHOLDS,
  generationAtLimit,
} from "../index";

let nextId = 0;

function probe(
  kind: "loadable" | "effective",
  context: number,
  figures: { gen: number | null; ttftMs?: number; outcome?: string },
): SpeedProbe {
  nextId += 1;
  return {
    id: nextId,
    runId: 1,
    kind,
    contextRequested: context,
    contextApplied: context,
    outcome: figures.outcome ?? "pass",
    loadMs: 900,
    timeToFirstTokenMs: figures.ttftMs ?? 2_000,
    promptTokensPerSec: 800,
    genTokensPerSec: figures.gen,
  };
}

function model(id: number, overrides: Partial<ComparisonModel>): ComparisonModel {
  return {
    id,
    modelKey: `model-${id}`,
    displayName: `Model ${id}`,
    quantization: "Q4_K_M",
    declaredContext: 32_768,
    loadableLimit: null,
    effectiveLimit: null,
    effectiveThreshold: null,
    testStatus: "completed",
    lastTestedAt: new Date(Date.UTC(2026, 0, 1)),
    isPresent: true,
    host: { id: 1, name: "lab" },
    probes: [],
    ...overrides,
  };
}

describe("compareModels", () => {
  const measured = model(1, {
    loadableLimit: 24_576,
    effectiveLimit: 16_384,
    probes: [
      probe("loadable", 8_192, { gen: 50 }),
      probe("loadable", 16_384, { gen: 42 }),
      probe("loadable", 24_576, { gen: 30 }),
      probe("effective", 8_192, { gen: 25 }),
      probe("effective", 16_384, { gen: 8, ttftMs: 40_000 }),
      probe("loadable", 32_768, { gen: null, outcome: "fail" }),
    ],
  });
  const untested = model(2, { testStatus: "untested", host: { id: 2, name: "gpu2" }, lastTestedAt: null });

  it("gives each model its column's figures, in the order given", () => {
    const { models, thresholds } = compareModels([measured, untested]);
    expect(thresholds).toEqual(DEFAULT_COMFORT_THRESHOLDS);
    expect(models.map((figures) => [figures.id, figures.host.name])).toEqual([
      [1, "lab"],
      [2, "gpu2"],
    ]);
    const [first, second] = models;
    expect(first).toMatchObject({
      loadableLimit: 24_576,
      effectiveLimit: 16_384,
      loadableShareOfDeclared: 0.75,
    });
    // At the effective limit a filled-window check ran: its speed, not the faster short check's at that size.
    expect(first?.generationAtLimit).toMatchObject({ context: 16_384, kind: "filled", genTokensPerSec: 8 });
    // The filled check at 16,384 is too slow (and too late to answer), so the comfortable limit is 8,192.
    expect(first?.comfortable).toMatchObject({ context: 8_192, basis: "filled" });
    expect(second).toMatchObject({
      loadableLimit: null,
      loadableShareOfDeclared: null,
      generationAtLimit: null,
      lastTestedAt: null,
      comfortable: { context: null },
    });
  });

  it("reads the comfortable limit under the thresholds it is given", () => {
    const lenient = compareModels([measured], { minGenTokensPerSec: 5, maxTtftSec: 60 });
    expect(lenient.models[0]?.comfortable).toMatchObject({ context: 16_384 });
    expect(lenient.thresholds).toEqual({ minGenTokensPerSec: 5, maxTtftSec: 60 });
    const strict = compareModels([measured], { minGenTokensPerSec: 100, maxTtftSec: 30 });
    expect(strict.models[0]?.comfortable.context).toBeNull();
  });

  it("takes the speed at the served limit: the loadable limit where the effective one is not measured", () => {
    const probes = [probe("loadable", 8_192, { gen: 50 }), probe("loadable", 16_384, { gen: 42 })];
    expect(generationAtLimit(probes, 12_000)).toMatchObject({ context: 8_192, genTokensPerSec: 50 });
    expect(generationAtLimit(probes, 4_096)).toBeNull();
    expect(generationAtLimit(probes, null)).toBeNull();
    const loadableOnly = compareModels([model(3, { loadableLimit: 16_384, probes })]);
    expect(loadableOnly.models[0]?.generationAtLimit).toMatchObject({ context: 16_384, kind: "short" });
  });
});

describe("comparisonSelectionProblem", () => {
  it("allows 2 to 4 distinct models", () => {
    expect(comparisonSelectionProblem([1, 2])).toBeNull();
    expect(comparisonSelectionProblem([1, 2, 3, 4])).toBeNull();
    expect(comparisonSelectionProblem([1])).toBe("Compare at least 2 models");
    expect(comparisonSelectionProblem([1, 2, 3, 4, 5])).toBe("Compare at most 4 models");
    expect(comparisonSelectionProblem([1, 2, 1])).toBe("Each model can be compared only once");
  });
});
