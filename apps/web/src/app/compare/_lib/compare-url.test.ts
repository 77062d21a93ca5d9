import { describe, expect, it } from "vitest";
import { compareCountProblem, compareHref, parseCompareModels } from "./compare-url";

describe("parseCompareModels", () => {
  it("reads 2 to 4 ids in their order", () => {
    expect(parseCompareModels("12,3")).toEqual({ ids: [12, 3], problem: null });
    expect(parseCompareModels(" 1, 2 ,3,4 ")).toEqual({ ids: [1, 2, 3, 4], problem: null });
    expect(parseCompareHref([7, 9])).toEqual([7, 9]);
  });

  it("says what is wrong with any other address", () => {
    expect(parseCompareModels(null).problem).toMatch(/Choose 2 to 4 models/);
    expect(parseCompareModels("").problem).toMatch(/Choose 2 to 4 models/);
    expect(parseCompareModels("5").problem).toBe("Compare needs at least 2 models (1 is given).");
    expect(parseCompareModels("1,2,3,4,5").problem).toBe("Compare takes at most 4 models (5 are given).");
    expect(parseCompareModels("1,abc").problem).toBe("Model ids are positive whole numbers; “abc” is not.");
    expect(parseCompareModels("0,-2,1.5").problem).toBe(
      "Model ids are positive whole numbers; “-2”, “1.5”, “0” are not.",
    );
    expect(parseCompareModels("99999999999999999999,1").problem).toMatch(/positive whole numbers/);
    expect(parseCompareModels("3,4,3").problem).toBe("Each model can be compared only once; 3 is repeated.");
  });
});

describe("compareCountProblem", () => {
  it("lets 2 to 4 models through and gives a reason for any other count", () => {
    expect([2, 3, 4].map((count) => compareCountProblem(count))).toEqual([null, null, null]);
    expect(compareCountProblem(0)).toBe("Compare needs at least 2 models (0 are given).");
    expect(compareCountProblem(5)).toBe("Compare takes at most 4 models (5 are given).");
    expect(compareCountProblem(1, "selected")).toBe("Compare needs at least 2 models (1 is selected).");
  });
});

function parseCompareHref(ids: number[]) {
  const models = new URL(compareHref(ids), "http://x").searchParams.get("models");
  return parseCompareModels(models).ids;
}
