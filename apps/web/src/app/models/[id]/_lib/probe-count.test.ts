import { describe, expect, it } from "vitest";
import { countProbes, historySummary, probesTitle, probeTableSummary } from "./probe-count";

describe("probesTitle", () => {
  it("gives the plain count when every probe is listed", () => {
    expect(probesTitle(0, 0)).toBe("Probes (0)");
    expect(probesTitle(37, 37)).toBe("Probes (37)");
    expect(probesTitle(1_000, 1_000)).toBe("Probes (1,000)");
  });

  it("gives the real total when the list is capped to the newest", () => {
    expect(probesTitle(1_000, 4_213)).toBe("Probes (newest 1,000 of 4,213 probes)");
    expect(probesTitle(1_000, 1_001)).toBe("Probes (newest 1,000 of 1,001 probes)");
  });
});

const probe = (kind: string, outcome: string | null) => ({ kind, outcome });

/** A model tested with the effective check: short checks of every ending, then filled-window checks. */
const PROBES = [
  probe("loadable", "pass"),
  probe("loadable", "pass"),
  probe("loadable", "fail"),
  probe("loadable", "error"),
  probe("loadable", "cancelled"),
  probe("loadable", null),
  probe("effective", "pass"),
  probe("effective", "fail"),
  probe("effective", "pass"),
];

describe("countProbes", () => {
  it("counts every probe of the table once, short checks and filled-window checks apart", () => {
    const counts = countProbes(PROBES);
    expect(counts.total).toBe(PROBES.length);
    expect(counts.short).toEqual({ pass: 2, fail: 1, error: 1, cancelled: 1, running: 1, total: 6 });
    expect(counts.filled).toEqual({ pass: 2, fail: 1, error: 0, cancelled: 0, running: 0, total: 3 });
    expect(counts.short.total + counts.filled.total).toBe(counts.total);
  });

  it("says the same numbers on the History card and the Probes card, in the table's words", () => {
    const counts = countProbes(PROBES);
    expect(historySummary(counts)).toBe(
      "6 short checks: 2 pass, 1 fail, 1 error, 1 cancelled, 1 running. 3 filled-window checks, in the Recall chart: 2 pass, 1 fail.",
    );
    expect(probeTableSummary(counts)).toBe(
      "9 probes: 6 short checks, 3 filled-window checks; 4 pass, 2 fail, 1 error, 1 cancelled, 1 running.",
    );
  });

  it("writes singulars and leaves the kinds out when there are only short checks", () => {
    const counts = countProbes([probe("loadable", "pass")]);
    expect(historySummary(counts)).toBe("1 short check: 1 pass.");
    expect(probeTableSummary(counts)).toBe("1 probe; 1 pass.");
    expect(historySummary(countProbes([probe("effective", "pass")]))).toBe(
      "0 short checks: none. 1 filled-window check, in the Recall chart: 1 pass.",
    );
  });
});
