import { describe, expect, it } from "vitest";
import { describeLimitChange, limitChange } from "./limit-change";
import { describeStaleReason, modelStaleReasons, staleReasons } from "./staleness";

const measured = {
  lmStudioVersion: "0.3.20",
  sizeBytes: 4_920_000_000,
  modifiedAt: new Date("2026-11-01T10:00:00.400Z"),
};

describe("staleReasons", () => {
  it("finds nothing when the version and file are the same (file times to the second)", () => {
    expect(staleReasons(measured, { ...measured, modifiedAt: new Date("2026-11-01T10:00:00.900Z") })).toEqual(
      [],
    );
  });

  it("names a new LM Studio version and another file", () => {
    const reasons = staleReasons(measured, {
      lmStudioVersion: "0.4.21",
      sizeBytes: 5_000_000_000,
      modifiedAt: new Date("2026-12-01T09:00:00Z"),
    });
    expect(reasons.map((reason) => reason.kind)).toEqual([
      "lmstudio-version",
      "model-size",
      "model-modified",
    ]);
    expect(describeStaleReason(reasons[0]!)).toBe("LM Studio 0.3.20 → 0.4.21");
  });

  it("does not count what is unknown on either side as a change", () => {
    const unknown = { lmStudioVersion: null, sizeBytes: null, modifiedAt: null };
    expect(staleReasons(unknown, measured)).toEqual([]);
    expect(staleReasons(measured, unknown)).toEqual([]);
  });
});

describe("limitChange", () => {
  const cause = staleReasons(measured, { ...measured, lmStudioVersion: "0.4.21" });

  it("is a regression with its cause when the limit falls by more than the precision", () => {
    const change = limitChange("loadable", 60_000, 48_000, 600, cause);
    expect(change?.direction).toBe("regression");
    expect(describeLimitChange(change!)).toBe("60,000 → 48,000 after LM Studio 0.3.20 → 0.4.21");
  });

  it("is no change when the old limit lies within the new measurement's range", () => {
    expect(limitChange("effective", 40_000, 44_000, 440, cause, { low: 39_000, high: 47_000 })).toBeNull();
    expect(
      limitChange("effective", 52_000, 44_000, 440, cause, { low: 39_000, high: 47_000 })?.direction,
    ).toBe("regression");
  });

  it("is no change when two noisy readings' ranges would overlap, though the old limit lies outside the new range", () => {
    // Two runs of one model, 6 % apart: 19,768 (18,454–20,898), then 18,584 (17,782–19,426).
    const range = { low: 17_782, high: 19_426 };
    expect(limitChange("effective", 19_768, 18_584, 256, [], range)).toBeNull();
    // Past twice the range's reach towards it (842 tokens above 18,584), it is a regression.
    expect(limitChange("effective", 20_300, 18_584, 256, [], range)?.direction).toBe("regression");
    // Towards lower limits the range's lower reach counts (802 tokens).
    expect(limitChange("effective", 17_000, 18_584, 256, [], range)).toBeNull();
    expect(limitChange("effective", 16_900, 18_584, 256, [], range)?.direction).toBe("improvement");
  });

  it("is no change within the precision, and an improvement above it", () => {
    expect(limitChange("loadable", 60_000, 60_500, 600, cause)).toBeNull();
    expect(limitChange("effective", 30_000, 40_000, 300, [])?.direction).toBe("improvement");
    expect(describeLimitChange(limitChange("effective", 30_000, 40_000, 300, [])!)).toBe("30,000 → 40,000");
  });
});

describe("modelStaleReasons", () => {
  const model = {
    testStatus: "completed",
    sizeBytes: 4_920_000_000,
    modifiedAt: null,
    measuredLmStudioVersion: "0.3.20",
    measuredSizeBytes: 4_920_000_000,
    measuredModifiedAt: null,
  };

  it("marks a tested model stale when the host now runs another LM Studio", () => {
    expect(modelStaleReasons(model, "0.4.21").map((reason) => reason.kind)).toEqual(["lmstudio-version"]);
    expect(modelStaleReasons(model, "0.3.20")).toEqual([]);
  });

  it("never marks an untested model stale", () => {
    expect(modelStaleReasons({ ...model, testStatus: "untested" }, "0.4.21")).toEqual([]);
  });
});
