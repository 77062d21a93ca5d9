import { describe, expect, it } from "vitest";
import { finderViewParams, NO_FINDER, parseFinderView } from "./matrix-url";

describe("the finder's URL", () => {
  it("round-trips a request and leaves defaults out", () => {
    const view = { tokens: 32_000, minTps: 12.5, type: "llm" as const };
    expect(finderViewParams(view).toString()).toBe("tokens=32000&tps=12.5&type=llm");
    expect(parseFinderView(finderViewParams(view))).toEqual(view);
    expect(finderViewParams(NO_FINDER).toString()).toBe("");
  });

  it("drops what it cannot use", () => {
    expect(parseFinderView(new URLSearchParams("tokens=-5&tps=fast&type=vision"))).toEqual(NO_FINDER);
    expect(parseFinderView(new URLSearchParams("tokens=99999999&tps=0"))).toEqual(NO_FINDER);
  });

  it("reads a speed as lmstrix fit --min-tps does: any decimals, up to 100,000 tok/s", () => {
    expect(parseFinderView(new URLSearchParams("tokens=4096&tps=7.125")).minTps).toBe(7.125);
    expect(parseFinderView(new URLSearchParams("tokens=4096&tps=.5")).minTps).toBe(0.5);
    expect(parseFinderView(new URLSearchParams("tokens=4096&tps=100001")).minTps).toBeNull();
  });
});
