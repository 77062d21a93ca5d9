import { describe, expect, it } from "vitest";
import { contextAxis, formatContextTick, linearAxis, logAxis } from "./axis-ticks";

describe("contextAxis", () => {
  it("ticks a 128K model at 32K steps, with room above the declared size", () => {
    const axis = contextAxis(131_072);
    expect(axis.ticks.map(formatContextTick)).toEqual(["0", "32K", "64K", "96K", "128K", "160K"]);
    expect(axis.domain).toEqual([0, 163_840]);
  });

  it("ticks small and very large windows at round sizes too", () => {
    expect(contextAxis(32_768).ticks.map(formatContextTick)).toEqual(["0", "8K", "16K", "24K", "32K", "40K"]);
    expect(contextAxis(2_048).ticks.map(formatContextTick)).toEqual(["0", "512", "1K", "1.5K", "2K", "2.5K"]);
    expect(contextAxis(1_048_576).ticks.map(formatContextTick)).toEqual([
      "0",
      "256K",
      "512K",
      "768K",
      "1M",
      "1.25M",
    ]);
  });

  it("never has more than six ticks, and every one a multiple of its step", () => {
    for (const max of [1, 700, 5_000, 61_520, 100_001, 262_144, 10_000_000]) {
      const { ticks, domain } = contextAxis(max);
      expect(ticks.length).toBeLessThanOrEqual(6);
      expect(ticks[0]).toBe(0);
      expect(domain[1]).toBe(ticks.at(-1));
      expect(domain[1]).toBeGreaterThanOrEqual(max);
      const step = ticks[1]!;
      expect(Math.log2(step) % 1).toBe(0);
      expect(ticks.every((tick, index) => tick === index * step)).toBe(true);
    }
  });
});

describe("formatContextTick", () => {
  it("writes binary sizes as K and M, anything else with separators", () => {
    expect(formatContextTick(2_048)).toBe("2K");
    expect(formatContextTick(131_072)).toBe("128K");
    expect(formatContextTick(1_048_576)).toBe("1M");
    expect(formatContextTick(61_520)).toBe("61,520");
    expect(formatContextTick(0)).toBe("0");
  });
});

describe("logAxis", () => {
  it("ticks speeds within two decades at 1, 2 and 5 times powers of ten", () => {
    expect(logAxis([12.5, 48, 910])).toEqual({
      domain: [10, 1_000],
      ticks: [10, 20, 50, 100, 200, 500, 1_000],
    });
    expect(logAxis([0.4, 3])).toEqual({ domain: [0.1, 10], ticks: [0.1, 0.2, 0.5, 1, 2, 5, 10] });
  });

  it("ticks wider ranges at powers of ten only, and has an axis without data", () => {
    expect(logAxis([3, 40_000]).ticks).toEqual([1, 10, 100, 1_000, 10_000, 100_000]);
    expect(logAxis([])).toEqual({ domain: [1, 10], ticks: [1, 2, 5, 10] });
  });
});

describe("linearAxis", () => {
  it("ticks seconds at round steps from 0 past the largest value", () => {
    expect(linearAxis(7.3)).toEqual({ domain: [0, 8], ticks: [0, 2, 4, 6, 8] });
    expect(linearAxis(0.42)).toEqual({ domain: [0, 0.6], ticks: [0, 0.2, 0.4, 0.6] });
    expect(linearAxis(95)).toEqual({ domain: [0, 100], ticks: [0, 50, 100] });
    expect(linearAxis(0)).toEqual({ domain: [0, 1], ticks: [0, 0.5, 1] });
  });
});
