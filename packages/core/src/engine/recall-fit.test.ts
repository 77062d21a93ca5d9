import { describe, expect, it } from "vitest";
import { seededRandom } from "../effective/haystack";
import { fitRecallCurve, type RecallPoint, recallAt } from "./recall-fit";

const T = 0.856;
const NEEDLES = 16;

/** Probes of 16 needles at `sizes`, each needle recalled with the logistic's probability (seeded). */
function draw(
  curve: { plateau: number; at50: number; width: number },
  sizes: readonly number[],
  seed: number,
): RecallPoint[] {
  const random = seededRandom(seed);
  return sizes.map((tokens) => {
    const probability = curve.plateau / (1 + Math.exp((tokens - curve.at50) / curve.width));
    let recalled = 0;
    for (let needle = 0; needle < NEEDLES; needle++) if (random() < probability) recalled++;
    return { tokens, recalled, needles: NEEDLES };
  });
}
const crossing = (curve: { plateau: number; at50: number; width: number }) =>
  curve.at50 + curve.width * Math.log(curve.plateau / T - 1);

describe("fitRecallCurve", () => {
  const curve = { plateau: 0.93, at50: 40_000, width: 4_000 };
  const truth = crossing(curve);

  it("recovers the plateau, the half-recall size, the width and the crossing from many binomial probes", () => {
    const sizes = Array.from({ length: 300 }, (_, index) => 4_000 + (index % 30) * 2_000);
    const fit = fitRecallCurve(draw(curve, sizes, 7), T)!;
    expect(fit).not.toBeNull();
    expect(fit.plateau).toBeCloseTo(curve.plateau, 1);
    expect(Math.abs(fit.at50 - curve.at50)).toBeLessThan(0.03 * curve.at50);
    expect(Math.abs(fit.width - curve.width)).toBeLessThan(0.2 * curve.width);
    expect(Math.abs(fit.limit - truth)).toBeLessThan(0.05 * truth);
    // The interval holds the crossing and is tight with this much evidence.
    expect(fit.range.low).toBeLessThanOrEqual(fit.limit);
    expect(fit.range.high).toBeGreaterThanOrEqual(fit.limit);
    expect(fit.range.high - fit.range.low).toBeLessThan(0.15 * truth);
  });

  it("is the same curve in either form: it crosses the threshold at the limit", () => {
    const fit = fitRecallCurve(draw(curve, [4_096, 8_192, 16_384, 32_768, 29_000, 30_000, 45_000], 3), T)!;
    expect(recallAt(fit.limit, fit, T)).toBeCloseTo(T, 4);
    const logistic = fit.plateau / (1 + Math.exp((fit.limit - fit.at50) / fit.width));
    expect(logistic).toBeCloseTo(T, 4);
  });

  it("finds the crossing within 10 % from a dozen probes placed around it, on most seeds", () => {
    const curve = { plateau: 0.98, at50: 40_000, width: 4_000 };
    const truth = crossing(curve);
    const sizes = [
      4_096, 8_192, 16_384, 32_768, 65_536, 30_000, 32_000, 31_000, 33_000, 32_500, 31_500, 32_000,
    ];
    const fits = Array.from({ length: 40 }, (_, seed) => fitRecallCurve(draw(curve, sizes, seed + 1), T));
    const close = fits.filter((fit) => fit !== null && Math.abs(fit.limit - truth) <= 0.1 * truth);
    expect(close.length).toBeGreaterThanOrEqual(36);
    // The ±1σ interval holds the truth about two times in three.
    const covered = fits.filter((fit) => fit && fit.range.low <= truth && truth <= fit.range.high);
    expect(covered.length).toBeGreaterThanOrEqual(20);
  });

  it("never places the limit past the sizes measured", () => {
    const points = [
      { tokens: 4_000, recalled: 16, needles: 16 },
      { tokens: 8_000, recalled: 15, needles: 16 },
      { tokens: 12_000, recalled: 13, needles: 16 },
      { tokens: 16_000, recalled: 12, needles: 16 },
    ];
    const fit = fitRecallCurve(points, T);
    if (fit) {
      expect(fit.limit).toBeGreaterThanOrEqual(4_000);
      expect(fit.limit).toBeLessThanOrEqual(16_000);
      expect(fit.range.high).toBeLessThanOrEqual(16_000);
    }
  });

  it("declines what it cannot shape: two sizes, no failure, no pass, a cliff, a plateau at the threshold", () => {
    const point = (tokens: number, recalled: number): RecallPoint => ({ tokens, recalled, needles: 16 });
    expect(fitRecallCurve([point(4_096, 16), point(8_192, 2)], T)).toBeNull();
    expect(fitRecallCurve([point(4_096, 16), point(8_192, 16), point(16_384, 15)], T)).toBeNull();
    expect(fitRecallCurve([point(4_096, 10), point(8_192, 9), point(16_384, 2)], T)).toBeNull();
    // Everything recalled up to a size, nothing past it: any width fits, so no slope can be read.
    const cliff = [point(4_096, 16), point(8_192, 16), point(16_384, 16), point(32_768, 0), point(24_576, 0)];
    expect(fitRecallCurve(cliff, T)).toBeNull();
    const flat = [point(4_096, 14), point(8_192, 14), point(16_384, 13), point(24_000, 14), point(32_768, 0)];
    const onThreshold = fitRecallCurve(flat, 14 / 16);
    expect(onThreshold).toBeNull();
  });
});
