import { describe, expect, it } from "vitest";
import { refusal, routerHarness } from "../support/router-caller";

const harness = routerHarness();

describe("the scheduler's test clock", () => {
  it("does not exist unless the server was started with LMSTRIX_TEST_CLOCK", async () => {
    const refused = await refusal(harness.caller().schedule.setTestTime({ at: "2030-01-07T03:00:00Z" }));
    expect(refused.code).toBe("NOT_FOUND");
  });
});
