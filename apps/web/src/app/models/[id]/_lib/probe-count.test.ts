import { describe, expect, it } from "vitest";
import { probesTitle } from "./probe-count";

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
