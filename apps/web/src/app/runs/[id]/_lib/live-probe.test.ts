import { describe, expect, it } from "vitest";
import { liveProbeFacts, QUIET_LOAD_MS, startedProbeTimes, withLoadProgress } from "./live-probe";

const T0 = Date.parse("2026-01-01T00:00:00Z");
const at = (seconds: number) => new Date(T0 + seconds * 1_000);

function started() {
  return { progress: null as number | null, ...startedProbeTimes({ stallMs: 60_000 }, at(0)) };
}

describe("the probe in flight, live", () => {
  it("counts the load's time from its start, and says when its progress has not moved for a while", () => {
    let probe = withLoadProgress(started(), 0.5, at(2));
    probe = withLoadProgress(probe, 0.9, at(3));
    expect(probe.stallMs).toBe(60_000);
    expect(liveProbeFacts(probe, at(4))).toEqual({ phase: "loading", elapsedMs: 4_000, quietMs: null });
    expect(liveProbeFacts(probe, at(3 + QUIET_LOAD_MS / 1_000))).toMatchObject({ quietMs: QUIET_LOAD_MS });
    expect(liveProbeFacts(probe, at(45))).toEqual({ phase: "loading", elapsedMs: 45_000, quietMs: 42_000 });
  });

  it("a report at the same progress is no progress; a rise resets the quiet time", () => {
    let probe = withLoadProgress(started(), 0.9, at(3));
    probe = withLoadProgress(probe, 0.9, at(20));
    expect(liveProbeFacts(probe, at(30)).quietMs).toBe(27_000);
    probe = withLoadProgress(probe, 0.95, at(30));
    expect(liveProbeFacts(probe, at(31)).quietMs).toBeNull();
  });

  it("once loaded (100 %), counts the checks' time instead, never 'no progress'", () => {
    const probe = withLoadProgress(withLoadProgress(started(), 0.5, at(1)), 1, at(8));
    expect(liveProbeFacts(probe, at(30))).toEqual({ phase: "checking", elapsedMs: 22_000, quietMs: null });
  });

  it("without a stall rule on the server (0), names no give-up time", () => {
    expect(startedProbeTimes({ stallMs: 0 }, at(0)).stallMs).toBeNull();
    expect(startedProbeTimes({}, at(0)).stallMs).toBeNull();
  });
});
