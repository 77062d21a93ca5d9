import { describe, expect, it } from "vitest";
import {
  formatCount,
  formatDuration,
  formatGigabytes,
  formatMegabytes,
  formatPercent,
  formatRecall,
  formatShare,
  formatShortDateTime,
  formatSpan,
  formatTokensPerSecond,
} from "./format";

describe("format", () => {
  it("separates thousands and prints '-' for nothing", () => {
    expect(formatCount(131_072)).toBe("131,072");
    expect(formatCount(1_073_152)).toBe("1,073,152");
    expect(formatCount(null)).toBe("-");
  });

  it("prints sizes as GiB with two decimals", () => {
    expect(formatGigabytes(10_683_731_968)).toBe("9.95 GB");
    expect(formatGigabytes(0)).toBe("0.00 GB");
    expect(formatMegabytes(1_572_864)).toBe("1.5 MB");
    expect(formatMegabytes(4_096)).toBe("0 MB");
  });

  it("prints durations the way people say them", () => {
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(4_230)).toBe("4.2 s");
    expect(formatDuration(42_000)).toBe("42 s");
    expect(formatDuration(72_000)).toBe("1 min 12 s");
    expect(formatDuration(3_600_000 + 5 * 60_000 + 7_000)).toBe("1 h 5 min");
    expect(formatDuration(null)).toBe("-");
    expect(formatDuration(-5)).toBe("-");
  });

  it("measures a span up to now while it is still open", () => {
    const start = new Date("2025-07-01T10:00:00Z");
    expect(formatSpan(start, new Date("2025-07-01T10:01:12Z"))).toBe("1 min 12 s");
    expect(formatSpan(start, null, new Date("2025-07-01T10:00:30Z"))).toBe("30 s");
    expect(formatSpan(null, null)).toBe("-");
  });

  it("prints shares as whole percentages", () => {
    expect(formatPercent(60_000, 131_072)).toBe("46%");
    expect(formatPercent(32_768, 32_768)).toBe("100%");
    expect(formatPercent(null, 131_072)).toBe("-");
    expect(formatPercent(1_000, 0)).toBe("-");
  });

  it("prints a recall share as a percentage without a space", () => {
    expect(formatShare(0.8)).toBe("80%");
    expect(formatShare(1)).toBe("100%");
    expect(formatShare(null)).toBe("-");
  });

  it("prints a recall or a recall threshold to the tenth of a percent it has", () => {
    expect(formatRecall(0.856)).toBe("85.6%");
    expect(formatRecall(0.8)).toBe("80%");
    expect(formatRecall(1)).toBe("100%");
    expect(formatRecall(121 / 128)).toBe("94.5%");
    expect(formatRecall(null)).toBe("-");
  });

  it("prints speeds with one decimal", () => {
    expect(formatTokensPerSecond(42.345)).toBe("42.3 tok/s");
    expect(formatTokensPerSecond(null)).toBe("-");
  });
});

describe("formatShortDateTime", () => {
  const now = new Date(2025, 6, 10, 12, 0, 0);
  it("leaves out this year and seconds unless asked", () => {
    expect(formatShortDateTime(new Date(2025, 6, 1, 23, 5, 9), { now })).toBe("Jul 1, 11:05 PM");
    expect(formatShortDateTime(new Date(2025, 6, 1, 23, 5, 9), { now, seconds: true })).toBe(
      "Jul 1, 11:05:09 PM",
    );
    expect(formatShortDateTime(new Date(2024, 0, 2, 8, 0, 0), { now })).toBe("Jan 2, 2024, 8:00 AM");
    expect(formatShortDateTime(null)).toBe("-");
  });
});
