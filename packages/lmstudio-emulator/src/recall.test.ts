import { describe, expect, test } from "vitest";
import {
  depthAveragedRecall,
  largestContextWithRecall,
  type RecallCurve,
  recallProbability,
} from "./recall.js";

const curve = (at50: number, width: number, middleDip = 0, base = 1): RecallCurve => ({
  at50,
  width,
  middleDip,
  base,
});

describe("recallProbability", () => {
  test("is b × (1 − m sin(π d)) / (1 + exp((L − L50) / W))", () => {
    const c = curve(50_000, 4_000, 0.3, 0.95);
    expect(recallProbability(c, 50_000, 0)).toBeCloseTo(0.475, 12);
    expect(recallProbability(c, 50_000, 0.5)).toBeCloseTo(0.95 * 0.7 * 0.5, 12);
    expect(recallProbability(c, 54_000, 1)).toBeCloseTo(0.95 / (1 + Math.E), 12);
    expect(recallProbability(c, 1_000, 0)).toBeCloseTo(0.95, 4);
  });
});

describe("depthAveragedRecall", () => {
  test("over every depth: the dip costs m × 2/π; over given depths: their mean", () => {
    const c = curve(10_000, 1_000, 0.4, 0.9);
    const sigmoid = 1 / (1 + Math.exp(0.5));
    expect(depthAveragedRecall(c, 10_500)).toBeCloseTo(0.9 * (1 - 0.8 / Math.PI) * sigmoid, 12);
    const depths = [0, 0.5, 1];
    expect(depthAveragedRecall(c, 10_500, depths)).toBeCloseTo(0.9 * sigmoid * ((1 + 0.6 + 1) / 3), 12);
  });
});

describe("largestContextWithRecall", () => {
  test.each([
    [curve(50_000, 4_000), 0.856],
    [curve(50_000, 4_000, 0, 0.97), 0.856],
    [curve(120_000, 12_000, 0, 0.99), 0.5],
    [curve(8_000, 500), 0.9],
  ])("without a dip it is ⌊L50 + W × ln(b / t − 1)⌋ (%j, t = %d)", (c, t) => {
    expect(largestContextWithRecall(c, t)).toBe(Math.floor(c.at50 + c.width * Math.log(c.base / t - 1)));
  });

  test("with a dip, averaged over every depth, it has the same form with b × (1 − 2m/π)", () => {
    const c = curve(60_000, 5_000, 0.2, 0.98);
    const effectiveBase = 0.98 * (1 - 0.4 / Math.PI);
    expect(largestContextWithRecall(c, 0.8)).toBe(
      Math.floor(60_000 + 5_000 * Math.log(effectiveBase / 0.8 - 1)),
    );
  });

  test("over given depths it is the last length at or above the threshold", () => {
    const c = curve(30_000, 2_500, 0.35, 0.97);
    const depths = [0, 0.1, 0.5, 0.9, 1];
    const found = largestContextWithRecall(c, 0.8, depths);
    expect(depthAveragedRecall(c, found, depths)).toBeGreaterThanOrEqual(0.8);
    expect(depthAveragedRecall(c, found + 1, depths)).toBeLessThan(0.8);
    // The middle dip makes the depths matter: fewer middle needles, longer effective limit.
    expect(largestContextWithRecall(c, 0.8, [0, 1])).toBeGreaterThan(found);
  });

  test("is 0 when even a short prompt stays below the threshold, and refuses a threshold outside (0, 1]", () => {
    expect(largestContextWithRecall(curve(50_000, 4_000, 0, 0.8), 0.85)).toBe(0);
    expect(() => largestContextWithRecall(curve(50_000, 4_000), 0)).toThrow(/threshold must be in \(0, 1\]/);
    expect(() => largestContextWithRecall(curve(50_000, 4_000), 1.2)).toThrow(/threshold/);
  });
});
