import { describe, expect, it } from "vitest";
import { effectiveDerivation, type FilledCheckProbe, failedCheckBelow } from "./effective-derivation";

let nextId = 0;
function filled(context: number, outcome: string, sent: number, processed = sent + 9): FilledCheckProbe {
  nextId += 1;
  return {
    id: nextId,
    runId: 4,
    kind: "effective",
    outcome,
    contextRequested: context,
    contextApplied: context,
    promptTokens: processed,
    promptTokensSent: sent,
  };
}

describe("effectiveDerivation", () => {
  it("names the prompt tokens and the window of the passing filled check the limit came from", () => {
    const probes = [
      filled(32_768, "fail", 31_900),
      filled(16_384, "pass", 15_900),
      filled(61_520, "pass", 59_536),
    ];
    expect(effectiveDerivation(59_536, probes)).toEqual({
      text: "59,536 prompt tokens of the 61,520-token window that passed",
      probeId: probes[2]!.id,
      runId: 4,
    });
  });

  it("counts what LM Studio processed when it processed fewer tokens than were sent", () => {
    const probe = filled(20_480, "pass", 19_900, 19_850);
    expect(effectiveDerivation(19_850, [probe])?.text).toBe(
      "19,850 prompt tokens of the 20,480-token window that passed",
    );
  });

  it("credits the whole window of a filled check that passed at the loadable limit", () => {
    const probe = filled(32_768, "pass", 31_900);
    expect(effectiveDerivation(32_768, [probe])?.text).toBe(
      "the whole 32,768-token window, which passed filled at the loadable limit (31,900 prompt tokens in it)",
    );
  });

  it("takes the newest probe that gives the value, and ignores short checks and failures", () => {
    const older = { ...filled(40_000, "pass", 38_000), runId: 1 };
    const newer = { ...filled(40_000, "pass", 38_000), runId: 2 };
    const short = { ...filled(38_000, "pass", 38_000), kind: "loadable" };
    expect(effectiveDerivation(38_000, [older, newer, short])?.runId).toBe(2);
    expect(effectiveDerivation(31_900, [filled(32_768, "fail", 31_900)])).toBeNull();
  });

  it("says nothing when there is no effective limit or no listed probe explains it", () => {
    expect(effectiveDerivation(null, [filled(16_384, "pass", 15_900)])).toBeNull();
    expect(effectiveDerivation(12_345, [filled(16_384, "pass", 15_900)])).toBeNull();
  });
});

describe("failedCheckBelow", () => {
  it("finds the largest filled check of the run that failed below a fitted limit", () => {
    const probes = [
      filled(16_384, "pass", 15_900),
      filled(32_768, "fail", 31_900),
      filled(24_576, "fail", 23_800),
      filled(49_152, "fail", 47_700),
      { ...filled(40_960, "fail", 39_800), runId: 3 },
    ];
    // 47,700 lies above the limit; run 3's check is another run's.
    expect(failedCheckBelow(36_000, probes, 4)).toBe(31_900);
    expect(failedCheckBelow(20_000, probes, 4)).toBeNull();
    expect(failedCheckBelow(null, probes, 4)).toBeNull();
    expect(failedCheckBelow(36_000, probes, undefined)).toBeNull();
  });
});
