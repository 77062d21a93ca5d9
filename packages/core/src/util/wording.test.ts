import { describe, expect, it } from "vitest";
import { duration, percent, plural, recallPercent, tokens } from "./wording";

describe("tokens", () => {
  it("writes thousands separators", () => {
    expect(tokens(0)).toBe("0");
    expect(tokens(999)).toBe("999");
    expect(tokens(31_744)).toBe("31,744");
    expect(tokens(10_000_000)).toBe("10,000,000");
  });
});

describe("plural", () => {
  it("agrees with its count", () => {
    expect(plural(0, "model")).toBe("0 models");
    expect(plural(1, "model")).toBe("1 model");
    expect(plural(2, "model")).toBe("2 models");
  });

  it("writes the count with separators and takes an irregular plural", () => {
    expect(plural(1_050, "probe")).toBe("1,050 probes");
    expect(plural(1, "entry", "entries")).toBe("1 entry");
    expect(plural(3, "entry", "entries")).toBe("3 entries");
  });
});

describe("percent", () => {
  it("writes a share as a whole percent without a space", () => {
    expect(percent(0.98)).toBe("98%");
    expect(percent(1)).toBe("100%");
    expect(percent(0)).toBe("0%");
    expect(percent(0.995)).toBe("100%");
  });

  it("keeps decimals when asked for, and separators for large values", () => {
    expect(percent(0.8123, 1)).toBe("81.2%");
    expect(percent(12.5)).toBe("1,250%");
  });
});

describe("recallPercent", () => {
  it("keeps the tenth a recall or a threshold has, so that neither lands on the other side of the other", () => {
    expect(recallPercent(0.856)).toBe("85.6%");
    // 121 of 128 needles: below a threshold of 95 %, and not printed as 95 %.
    expect(recallPercent(121 / 128)).toBe("94.5%");
    expect(recallPercent(0.95)).toBe("95%");
    expect(recallPercent(1)).toBe("100%");
    expect(recallPercent(0)).toBe("0%");
  });
});

describe("duration", () => {
  it("says a span as people do, with one unit word for minutes everywhere", () => {
    expect(duration(850)).toBe("850 ms");
    expect(duration(4_230)).toBe("4.2 s");
    expect(duration(42_000)).toBe("42 s");
    expect(duration(192_000)).toBe("3 min 12 s");
    expect(duration(3_600_000 + 5 * 60_000 + 7_000)).toBe("1 h 5 min");
  });
});
