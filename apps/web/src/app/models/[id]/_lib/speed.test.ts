import { describe, expect, it } from "vitest";
import {
  comfortableLimit,
  DEFAULT_THRESHOLDS,
  parseThresholds,
  type SpeedProbe,
  speedPoints,
  speedSeries,
} from "./speed";

let nextId = 1;
function probe(overrides: Partial<SpeedProbe>): SpeedProbe {
  return {
    id: nextId++,
    runId: 1,
    kind: "loadable",
    contextRequested: 4_096,
    contextApplied: null,
    outcome: "pass",
    loadMs: 1_200,
    timeToFirstTokenMs: 500,
    promptTokensPerSec: 800,
    genTokensPerSec: 40,
    ...overrides,
  };
}

const noLimits = { loadableLimit: null, effectiveLimit: null };

describe("speedPoints", () => {
  it("keeps passing probes with a speed figure, at the applied context, in seconds", () => {
    const points = speedPoints([
      probe({
        id: 1,
        contextRequested: 32_768,
        contextApplied: 32_000,
        kind: "effective",
        timeToFirstTokenMs: 12_500,
      }),
      probe({ id: 2, contextRequested: 8_192, outcome: "fail" }),
      probe({
        id: 3,
        contextRequested: 2_048,
        timeToFirstTokenMs: null,
        promptTokensPerSec: null,
        genTokensPerSec: null,
      }),
      probe({ id: 4, contextRequested: 2_048, genTokensPerSec: Number.NaN }),
    ]);
    expect(points.map((point) => [point.probeId, point.context, point.kind])).toEqual([
      [4, 2_048, "short"],
      [1, 32_000, "filled"],
    ]);
    expect(points[0]?.genTokensPerSec).toBeNull();
    expect(points[1]?.ttftSec).toBe(12.5);
  });

  it("splits series by kind and figure", () => {
    const points = speedPoints([
      probe({ contextRequested: 2_048 }),
      probe({ contextRequested: 16_384, kind: "effective", genTokensPerSec: null }),
    ]);
    expect(speedSeries(points, "short", "genTokensPerSec").map((point) => point.value)).toEqual([40]);
    expect(speedSeries(points, "filled", "genTokensPerSec")).toEqual([]);
    expect(speedSeries(points, "filled", "ttftSec").map((point) => point.value)).toEqual([0.5]);
  });
});

describe("parseThresholds", () => {
  it("falls back to the defaults for missing, broken or unusable values", () => {
    expect(parseThresholds(null)).toEqual(DEFAULT_THRESHOLDS);
    expect(parseThresholds("not json")).toEqual(DEFAULT_THRESHOLDS);
    expect(parseThresholds('{"minGenTokensPerSec": -1, "maxTtftSec": 12}')).toEqual({
      minGenTokensPerSec: 10,
      maxTtftSec: 12,
    });
    expect(parseThresholds('{"minGenTokensPerSec": 5, "maxTtftSec": "x"}')).toEqual({
      minGenTokensPerSec: 5,
      maxTtftSec: 30,
    });
  });
});

describe("comfortableLimit", () => {
  it("says why when no probe has speed figures", () => {
    const result = comfortableLimit(
      [
        probe({ timeToFirstTokenMs: null, genTokensPerSec: null, promptTokensPerSec: null }),
        probe({ outcome: "fail" }),
      ],
      DEFAULT_THRESHOLDS,
      noLimits,
    );
    expect(result).toMatchObject({ context: null, basis: null });
    expect(result.context === null && result.reason).toMatch(/No passing probe/);
    expect(comfortableLimit([], DEFAULT_THRESHOLDS, noLimits).context).toBeNull();
  });

  it("takes the largest filled check within both thresholds, ignoring short checks", () => {
    const result = comfortableLimit(
      [
        probe({ kind: "effective", contextRequested: 8_192, genTokensPerSec: 30, timeToFirstTokenMs: 4_000 }),
        probe({
          kind: "effective",
          contextRequested: 32_768,
          genTokensPerSec: 18,
          timeToFirstTokenMs: 25_000,
        }),
        probe({
          kind: "effective",
          contextRequested: 65_536,
          genTokensPerSec: 12,
          timeToFirstTokenMs: 61_000,
        }),
        probe({
          kind: "effective",
          contextRequested: 131_072,
          genTokensPerSec: 6,
          timeToFirstTokenMs: 20_000,
        }),
        // A short check is fast at any size: it must not count while filled checks exist.
        probe({ kind: "loadable", contextRequested: 262_144, genTokensPerSec: 40, timeToFirstTokenMs: 300 }),
      ],
      DEFAULT_THRESHOLDS,
      noLimits,
    );
    expect(result).toMatchObject({ context: 32_768, basis: "filled" });
  });

  it("falls back to short checks when only loadable probes have speed figures, and says so", () => {
    const result = comfortableLimit(
      [
        probe({ contextRequested: 4_096, genTokensPerSec: 25 }),
        probe({ contextRequested: 16_384, contextApplied: 16_000, genTokensPerSec: 11 }),
        probe({ contextRequested: 32_768, genTokensPerSec: 9 }),
        probe({
          kind: "effective",
          contextRequested: 65_536,
          genTokensPerSec: null,
          timeToFirstTokenMs: null,
        }),
      ],
      DEFAULT_THRESHOLDS,
      noLimits,
    );
    expect(result).toMatchObject({ context: 16_000, basis: "short" });
  });

  it("gives no limit, with a reason, when the thresholds exclude everything", () => {
    const result = comfortableLimit(
      [probe({ kind: "effective", genTokensPerSec: 50, timeToFirstTokenMs: 45_000 })],
      { minGenTokensPerSec: 10, maxTtftSec: 30 },
      noLimits,
    );
    expect(result).toMatchObject({ context: null, basis: "filled" });
    expect(result.context === null && result.reason).toMatch(
      /No filled-window check generated at least 10 tok\/s/,
    );
  });

  it("includes probes exactly at the thresholds", () => {
    const result = comfortableLimit(
      [probe({ genTokensPerSec: 10, timeToFirstTokenMs: 30_000, contextRequested: 8_192 })],
      DEFAULT_THRESHOLDS,
      noLimits,
    );
    expect(result.context).toBe(8_192);
  });

  it("is no size where the effective search found no limit, however fast the short checks were", () => {
    const probes = [probe({ contextRequested: 8_192 }), probe({ contextRequested: 32_768 })];
    const limits = { loadableLimit: 40_000, effectiveLimit: null, effectiveThreshold: 0.856 };
    const result = comfortableLimit(probes, DEFAULT_THRESHOLDS, limits);
    expect(result).toEqual({
      context: null,
      basis: null,
      reason: "Its effective search found no limit: no size recalled 85.6% of its needles.",
    });
    // Not measured is judged by the probes, as before.
    expect(
      comfortableLimit(probes, DEFAULT_THRESHOLDS, { ...limits, effectiveThreshold: null }).context,
    ).toBe(32_768);
  });

  it("never goes above the loadable limit, nor the effective limit when known", () => {
    const probes = [
      probe({ contextRequested: 8_192 }),
      probe({ contextRequested: 32_768 }),
      probe({ contextRequested: 65_536 }),
    ];
    expect(
      comfortableLimit(probes, DEFAULT_THRESHOLDS, { loadableLimit: 40_000, effectiveLimit: null }),
    ).toMatchObject({
      context: 32_768,
      capped: 40_000,
    });
    expect(
      comfortableLimit(probes, DEFAULT_THRESHOLDS, { loadableLimit: 65_536, effectiveLimit: 16_000 }),
    ).toMatchObject({ context: 8_192, capped: 16_000 });
    const above = comfortableLimit([probe({ contextRequested: 65_536 })], DEFAULT_THRESHOLDS, {
      loadableLimit: 32_768,
      effectiveLimit: null,
    });
    expect(above.context === null && above.reason).toMatch(/above the loadable limit/);
  });

  it("without an effective limit, counts a size only where most of its filled checks passed", () => {
    const filled = (contextRequested: number, outcome: string) =>
      probe({ kind: "effective", contextRequested, outcome });
    const probes = [
      filled(8_192, "pass"),
      filled(16_384, "pass"),
      filled(16_384, "pass"),
      filled(16_384, "fail"),
      filled(24_576, "pass"),
      filled(24_576, "fail"),
    ];
    const limits = { loadableLimit: 32_768, effectiveLimit: null };
    expect(comfortableLimit(probes, DEFAULT_THRESHOLDS, limits).context).toBe(16_384);
    // An effective limit keeps the checks under it already: each passing check counts.
    expect(comfortableLimit(probes, DEFAULT_THRESHOLDS, { ...limits, effectiveLimit: 30_000 }).context).toBe(
      24_576,
    );
  });

  it("uses measured points only (no interpolation between them)", () => {
    const result = comfortableLimit(
      [
        probe({ kind: "effective", contextRequested: 8_192, timeToFirstTokenMs: 10_000 }),
        probe({ kind: "effective", contextRequested: 65_536, timeToFirstTokenMs: 50_000 }),
      ],
      DEFAULT_THRESHOLDS,
      noLimits,
    );
    // 30 s would fall somewhere between the two; only the measured 8,192 counts.
    expect(result.context).toBe(8_192);
  });

  it("rejects unusable thresholds", () => {
    const result = comfortableLimit(
      [probe({})],
      { minGenTokensPerSec: Number.NaN, maxTtftSec: 30 },
      noLimits,
    );
    expect(result).toMatchObject({ context: null, basis: null });
  });
});
