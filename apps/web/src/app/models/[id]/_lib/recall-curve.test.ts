import { describe, expect, it } from "vitest";
import type { RecallPoint } from "./history";
import { meanRecallBySize, promptTokensBySize, relativeToShort, shortContextScore } from "./recall-curve";

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

  it("places each size's mean at the mean prompt tokens of the checks it averages, truncated ones left out", () => {
    const cut = { ...point(8_192, 0, true), promptTokens: 3_000 };
    const at = promptTokensBySize([point(8_192, 80), { ...point(8_192, 60), promptTokens: 7_000 }, cut]);
    expect(at.get(8_192)).toBe(Math.round((8_192 - 512 + 7_000) / 2));
    expect(promptTokensBySize([cut]).size).toBe(0);
  });
});
