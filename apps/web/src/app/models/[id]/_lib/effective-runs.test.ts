import { describe, expect, it } from "vitest";
import {
  atNewestThreshold,
  chartThreshold,
  effectiveSpread,
  formatEffectiveRange,
  stripDomain,
} from "./effective-runs";

const run = (runId: number, effectiveLimit: number | null) => ({
  runId,
  effectiveLimit,
  effectiveRange: null,
  recallThreshold: 0.856,
});

describe("effective limits of repeated runs", () => {
  it("says how far apart the runs' limits are, leaving out runs that found none", () => {
    expect(effectiveSpread([run(1, 48_000), run(2, 52_000), run(3, null)])).toEqual({
      runs: 3,
      found: 2,
      min: 48_000,
      max: 52_000,
      spread: 4_000 / 52_000,
    });
    expect(effectiveSpread([run(1, 48_000)]).spread).toBeNull();
    expect(effectiveSpread([run(1, null)])).toMatchObject({ found: 0, min: null, spread: null });
  });

  it("compares runs at the newest run's recall threshold only", () => {
    const strict = { ...run(3, 30_000), recallThreshold: 0.9 };
    expect(atNewestThreshold([run(1, 48_000), run(2, 52_000), strict]).map((r) => r.runId)).toEqual([3]);
    expect(atNewestThreshold([strict, run(4, 48_000), run(5, 50_000)]).map((r) => r.runId)).toEqual([4, 5]);
  });

  it("writes a range as from–to with separators", () => {
    expect(formatEffectiveRange({ low: 48_000, high: 52_000 })).toBe("48,000–52,000");
  });

  it("scales the strip around the limits and ranges, so that runs a few percent apart are told apart", () => {
    const [from, to] = stripDomain([
      run(1, 48_000),
      { ...run(2, 50_000), effectiveRange: { low: 50_000, high: 52_000 } },
    ])!;
    expect(from).toBeGreaterThan(40_000);
    expect(from).toBeLessThan(48_000);
    expect(to).toBeGreaterThan(52_000);
    expect(to).toBeLessThan(60_000);
    const [low, high] = stripDomain([run(1, 13_468), run(2, 13_468)])!;
    expect((low + high) / 2).toBeCloseTo(13_468, 6);
    expect(stripDomain([run(1, null)])).toBeNull();
  });

  it("draws the threshold of the newest run that ran filled checks of the model", () => {
    const runs = [
      { id: 9, recallThreshold: null },
      { id: 7, recallThreshold: 0.9 },
      { id: 5, recallThreshold: 0.8 },
    ];
    const probes = [
      { runId: 9, kind: "loadable" },
      { runId: 5, kind: "effective" },
      { runId: 7, kind: "effective" },
    ];
    expect(chartThreshold(runs, probes)).toEqual({ runId: 7, threshold: 0.9 });
    expect(chartThreshold(runs, probes.slice(0, 1))).toBeNull();
  });
});
