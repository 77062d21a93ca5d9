import { describe, expect, it } from "vitest";
import { changesViewParams, parseChangesView } from "./changes-url";

describe("the Changes page's URL", () => {
  it("round-trips a host and a direction, and ignores what it does not know", () => {
    const view = { hostId: 2, direction: "regression" } as const;
    expect(parseChangesView(changesViewParams(view))).toEqual(view);
    expect(changesViewParams({ hostId: "all", direction: "all" }).toString()).toBe("");
    expect(parseChangesView(new URLSearchParams("host=x&direction=sideways"))).toEqual({
      hostId: "all",
      direction: "all",
    });
  });
});
