import { describe, expect, it } from "vitest";
import { DEFAULT_COOLDOWN_MS } from "./run";
import { planRun, runRequestSchema } from "./run-request";

const request = (input: unknown) => runRequestSchema.parse(input);

describe("planRun", () => {
  it("gives a run the configured pause between models unless the request names one", () => {
    expect(planRun(request({ modelKeys: ["a"] })).options.cooldownMs).toBe(DEFAULT_COOLDOWN_MS);
    expect(planRun(request({ modelKeys: ["a"] }), { cooldownMs: 0 }).options.cooldownMs).toBe(0);
    expect(
      planRun(request({ modelKeys: ["a"], options: { cooldownMs: 5_000 } }), { cooldownMs: 0 }).options
        .cooldownMs,
    ).toBe(5_000);
  });

  it("reads the mode from the request: all, a fixed size, or a search per model", () => {
    expect(planRun(request({ all: true })).mode).toBe("all");
    expect(planRun(request({ modelKeys: ["a"], options: { fixedContext: 8_192 } })).mode).toBe("fixed-ctx");
    expect(planRun(request({ modelKeys: ["a"] }))).toMatchObject({
      mode: "single",
      options: { modelKeys: ["a"] },
    });
  });
});
