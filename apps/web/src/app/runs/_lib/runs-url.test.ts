import { describe, expect, it } from "vitest";
import { parseRunsView, runsViewParams } from "./runs-url";

describe("the Runs page's host filter in its URL", () => {
  it("round-trips a host and leaves 'all hosts' out", () => {
    expect(runsViewParams({ hostId: 4 }).toString()).toBe("host=4");
    expect(parseRunsView(new URLSearchParams("host=4"))).toEqual({ hostId: 4 });
    expect(runsViewParams({ hostId: "all" }).toString()).toBe("");
    expect(parseRunsView(new URLSearchParams(""))).toEqual({ hostId: "all" });
  });

  it("ignores a malformed host", () => {
    for (const host of ["0", "-1", "two", "1.5", "9999999999"]) {
      expect(parseRunsView(new URLSearchParams({ host }))).toEqual({ hostId: "all" });
    }
  });
});
