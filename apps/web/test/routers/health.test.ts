import { describe, expect, it } from "vitest";
import { routerHarness } from "../support/router-caller";

const harness = routerHarness();

describe("health router", () => {
  it("checks the database and says it is healthy", async () => {
    const health = await harness.caller().health.get();
    expect(health.status).toBe("ok");
    expect(health.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(health.report?.status).toBe("ok");
  });

  it("says whether signing in is needed, and under which name this caller is known", async () => {
    expect(await harness.caller("grace").health.session()).toEqual({ teamMode: false, name: "grace" });
  });
});
