import { describe, expect, it } from "vitest";
import { demoTimings } from "./demo-timings";

describe("the demo's timeouts follow its time scale", () => {
  it("at 0.01 a stalled load is given up after about a second, and the other limits shrink alike", () => {
    expect(demoTimings(0.01, {})).toEqual({
      LMSTRIX_LOAD_TIMEOUT_MS: "6000",
      LMSTRIX_LOAD_STALL_MS: "1000",
      LMSTRIX_TIMEOUT_PAUSE_MS: "20",
      LMSTRIX_RECONNECT_TIMEOUT_MS: "5000",
      LMSTRIX_COOLDOWN_MS: "30",
    });
  });

  it("in real time they are the defaults; instant emulation keeps the floors", () => {
    expect(demoTimings(1, {})).toEqual({
      LMSTRIX_LOAD_TIMEOUT_MS: "600000",
      LMSTRIX_LOAD_STALL_MS: "60000",
      LMSTRIX_TIMEOUT_PAUSE_MS: "2000",
      LMSTRIX_RECONNECT_TIMEOUT_MS: "120000",
      LMSTRIX_COOLDOWN_MS: "3000",
    });
    // Instant emulation has no GPU to let settle: no pause between models.
    expect(demoTimings(0, {}).LMSTRIX_COOLDOWN_MS).toBe("0");
    expect(demoTimings(0, {}).LMSTRIX_LOAD_STALL_MS).toBe("1000");
    // A slower-than-real emulator does not make the real defaults longer.
    expect(demoTimings(3, {}).LMSTRIX_LOAD_TIMEOUT_MS).toBe("600000");
  });

  it("leaves a variable the user set as set", () => {
    const timings = demoTimings(0.01, { LMSTRIX_LOAD_STALL_MS: "8000", LMSTRIX_LOAD_TIMEOUT_MS: "" });
    expect(timings).not.toHaveProperty("LMSTRIX_LOAD_STALL_MS");
    expect(timings).not.toHaveProperty("LMSTRIX_LOAD_TIMEOUT_MS");
    expect(timings.LMSTRIX_TIMEOUT_PAUSE_MS).toBe("20");
  });
});
