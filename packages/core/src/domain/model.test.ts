import { describe, expect, it } from "vitest";
import { missingEffectiveLimit, noEffectiveLimitFound } from "./model";

describe("a missing effective limit", () => {
  it("is none found only where an effective search stands over a model that loads", () => {
    const measured = { effectiveLimit: 20_000, effectiveThreshold: 0.856, loadableLimit: 32_768 };
    const noneFound = { effectiveLimit: null, effectiveThreshold: 0.856, loadableLimit: 32_768 };
    const notMeasured = { effectiveLimit: null, effectiveThreshold: null, loadableLimit: 32_768 };
    const failed = { effectiveLimit: null, effectiveThreshold: 0.856, loadableLimit: null };
    expect([measured, noneFound, notMeasured, failed].map(noEffectiveLimitFound)).toEqual([
      false,
      true,
      false,
      false,
    ]);
    expect(missingEffectiveLimit(measured)).toBeNull();
    expect(missingEffectiveLimit(noneFound)).toBe("none found: no size recalled 85.6% of its needles");
    expect(missingEffectiveLimit(notMeasured)).toBe("not measured");
    expect(missingEffectiveLimit(failed)).toBe("not measured");
  });
});
