import { describe, expect, it } from "vitest";
import type { RecallPoint } from "./history";
import { meanRecallBySize, relativeToShort, shortContextScore } from "./recall-curve";

const point = (context: number, recall: number, isTruncated = false): RecallPoint => ({
  context,
  promptTokens: context - 512,
  recall,
  probeId: context + recall,
  runId: 1,
  isTruncated,
});

describe("the recall curve", () => {
  it("averages the checks at each size, leaving out truncated ones", () => {
    const curve = meanRecallBySize([
      point(8_192, 80),
      point(4_096, 100),
      point(8_192, 60),
      point(8_192, 0, true),
    ]);
    expect(curve).toEqual([
      { context: 4_096, recall: 100, checks: 1 },
      { context: 8_192, recall: 70, checks: 2 },
    ]);
  });

  it("measures recall against the model's own score at its smallest size", () => {
    const curve = meanRecallBySize([point(4_096, 80), point(4_096, 100), point(16_384, 81)]);
    const short = shortContextScore(curve)!;
    expect(short).toMatchObject({ context: 4_096, recall: 90 });
    expect(relativeToShort(81, short)).toBe(90);
    expect(shortContextScore(meanRecallBySize([point(4_096, 0)]))).toBeNull();
    expect(shortContextScore([])).toBeNull();
  });
});
