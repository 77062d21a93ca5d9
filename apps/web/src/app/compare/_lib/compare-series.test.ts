import { describe, expect, it } from "vitest";
import {
  type ComparedModelSeries,
  type ComparedProbe,
  effectiveHistory,
  generationSeries,
  limitHistory,
  MODEL_COLORS,
  modelColor,
  seriesLabel,
  speedAtLimit,
} from "./compare-series";

let nextId = 0;
const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 10, 0, seconds));

function probe(
  runId: number,
  kind: "loadable" | "effective",
  context: number,
  outcome: string,
  gen: number | null,
  seconds: number,
): ComparedProbe {
  nextId += 1;
  return {
    id: nextId,
    runId,
    kind,
    contextRequested: context,
    contextApplied: outcome === "pass" ? context : null,
    outcome,
    loadMs: 900,
    timeToFirstTokenMs: 400,
    promptTokensPerSec: 800,
    genTokensPerSec: gen,
    startedAt: at(seconds),
    finishedAt: at(seconds + 1),
  };
}

const model = (probes: ComparedProbe[], effectiveRuns: ComparedModelSeries["effectiveRuns"] = []) => ({
  id: 1,
  displayName: "Qwen3 4B",
  host: { name: "lab" },
  probes,
  effectiveRuns,
});

describe("compare series", () => {
  it("names each series with its host and gives each model its own colour", () => {
    expect(seriesLabel({ displayName: "Qwen3 4B", host: { name: "lab-b" } })).toBe("Qwen3 4B on lab-b");
    expect(new Set([0, 1, 2, 3].map(modelColor)).size).toBe(MODEL_COLORS.length);
  });

  it("draws each run's loadable limit from the short checks only", () => {
    const probes = [
      probe(1, "loadable", 8_192, "pass", 40, 0),
      probe(1, "loadable", 16_384, "fail", null, 2),
      probe(1, "effective", 12_000, "pass", 30, 4),
      probe(2, "loadable", 12_288, "pass", 38, 6),
    ];
    expect(limitHistory(model(probes))).toEqual([
      { runId: 1, context: 8_192, time: at(3).getTime() },
      { runId: 2, context: 12_288, time: at(7).getTime() },
    ]);
  });

  it("draws every run's effective limit in time order, and none for a run that found none", () => {
    const runs = [
      { runId: 3, effectiveLimit: 50_100, finishedAt: at(30) },
      { runId: 1, effectiveLimit: 48_200, finishedAt: at(10) },
      { runId: 2, effectiveLimit: null, finishedAt: at(20) },
    ];
    expect(effectiveHistory(model([], runs))).toEqual([
      { runId: 1, context: 48_200, time: at(10).getTime() },
      { runId: 3, context: 50_100, time: at(30).getTime() },
    ]);
  });

  it("plots generation speed by context, filled and short checks apart, leaving out 0 tok/s", () => {
    const probes = [
      probe(1, "loadable", 8_192, "pass", 40, 0),
      probe(1, "loadable", 4_096, "pass", 0, 2),
      probe(1, "effective", 6_000, "pass", 31, 4),
      probe(1, "effective", 9_000, "fail", 20, 6),
    ];
    const series = generationSeries(model(probes));
    expect(series.short.map((point) => [point.context, point.value])).toEqual([[8_192, 40]]);
    expect(series.filled.map((point) => [point.context, point.value])).toEqual([[6_000, 31]]);
  });

  it("reads the generation speed at the largest measured size within the limit, filled checks first", () => {
    const probes = [
      probe(1, "loadable", 8_192, "pass", 40, 0),
      probe(1, "effective", 8_192, "pass", 33, 2),
      probe(1, "loadable", 16_384, "pass", 35, 4),
      probe(1, "loadable", 32_768, "pass", null, 6),
    ];
    expect(speedAtLimit(probes, 16_000)).toMatchObject({
      context: 8_192,
      kind: "filled",
      genTokensPerSec: 33,
    });
    expect(speedAtLimit(probes, 40_000)).toMatchObject({ context: 16_384, genTokensPerSec: 35 });
    expect(speedAtLimit(probes, 4_096)).toBeNull();
    expect(speedAtLimit(probes, null)).toBeNull();
  });
});
