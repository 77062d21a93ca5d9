import { describe, expect, it } from "vitest";
import { DEPTH_BINS, depthBinOf, type RecallMapProbe, recallMap, recallMapSizeLabel } from "./recall-map";

const needle = (depth: number, recalled: boolean, isCanary = false) => ({ depth, recalled, isCanary });

function probe(id: number, context: number, needles: RecallMapProbe["needles"]): RecallMapProbe {
  return { id, kind: "effective", contextRequested: context, contextApplied: context, needles };
}

describe("recallMap", () => {
  it("has a column per size probed and a row per depth bin, pooling the probes of one size", () => {
    const map = recallMap([
      probe(1, 16_384, [needle(0, true, true), needle(0.5, false), needle(1, true, true)]),
      probe(2, 4_096, [needle(0, true, true), needle(0.5, true), needle(1, true, true)]),
      probe(3, 16_384, [needle(0, true, true), needle(0.55, true), needle(1, false, true)]),
      // A short check and a filled check written before needles were kept: not in the map.
      { ...probe(4, 8_192, null), kind: "loadable" },
      probe(5, 32_768, null),
    ])!;
    expect(map.sizes).toEqual([4_096, 16_384]);
    expect(map.bins).toHaveLength(DEPTH_BINS);
    expect(map.bins[0]?.label).toBe("0–10%");
    expect(map.bins[9]?.label).toBe("90–100%");
    expect(map.cells.every((row) => row.length === 2)).toBe(true);
    expect(map.probeCount).toBe(3);
    expect(map.needleCount).toBe(9);
    // 16K, middle: both probes' middle needles (50 % and 55 %) pool into one cell.
    expect(map.cells[5]?.[1]).toMatchObject({ recalled: 1, total: 2, probes: 2, share: 0.5 });
    // 16K, tail: one canary of two recalled; 4K, middle: recalled.
    expect(map.cells[9]?.[1]).toMatchObject({ recalled: 1, total: 2, share: 0.5 });
    expect(map.cells[5]?.[0]).toMatchObject({ recalled: 1, total: 1, probes: 1, share: 1 });
    // A bin no needle sat in is empty, not 0 %.
    expect(map.cells[3]?.[0]).toMatchObject({ total: 0, share: null });
  });

  it("puts each depth in its tenth, the very end in the last", () => {
    expect([0, 0.1, 0.3, 0.5, 0.9, 0.99, 1].map(depthBinOf)).toEqual([0, 1, 3, 5, 9, 9, 9]);
  });

  it("is null when no filled check kept its needles", () => {
    expect(recallMap([probe(1, 4_096, null), probe(2, 8_192, [])])).toBeNull();
  });
});

describe("recallMapSizeLabel", () => {
  it("shortens whole K, and gives any other size as the probe table does", () => {
    expect(recallMapSizeLabel(16_384)).toBe("16K");
    expect(recallMapSizeLabel(22_784)).toBe("22,784");
  });
});
