import { describe, expect, it } from "vitest";
import { formatCount, formatGigabytes } from "./format";

describe("format", () => {
  it("separates thousands and prints '-' for nothing", () => {
    expect(formatCount(131_072)).toBe("131,072");
    expect(formatCount(1_073_152)).toBe("1,073,152");
    expect(formatCount(null)).toBe("-");
  });

  it("prints sizes as GiB with two decimals", () => {
    expect(formatGigabytes(10_683_731_968)).toBe("9.95 GB");
    expect(formatGigabytes(0)).toBe("0.00 GB");
  });
});
