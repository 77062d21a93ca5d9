import { describe, expect, it } from "vitest";
import type { RunEventPayload } from "../domain/event";
import { ManualTimers } from "../testing/manual-timers";
import { loadProgressEvents } from "./load-progress";
import type { RunContext } from "./run-context";

function setUp() {
  const timers = new ManualTimers();
  const emitted: number[] = [];
  const ctx = {
    emit: async (_type: string, payload: RunEventPayload) => {
      emitted.push(Number(payload.progress));
    },
  } as unknown as RunContext;
  return { timers, emitted, events: loadProgressEvents(ctx, 1, "m", timers) };
}

describe("load progress events", () => {
  it("one event per 10 % step, in whole percent", () => {
    const { emitted, events } = setUp();
    for (let step = 1; step <= 40; step += 1) events.onProgress(step / 40);
    // (The first report, 2.5 %, opens step 0; the clock does not move, so no creeping report in between.)
    expect(emitted).toEqual([0.02, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
  });

  it("while a load creeps within a step, at most one event a second, so a quiet bar means nothing moved", () => {
    const { timers, emitted, events } = setUp();
    const at: number[] = [];
    const note = () => at.push(timers.now());
    events.onProgress(0.9);
    note();
    timers.advance(400);
    events.onProgress(0.91); // too soon after the last event: held back until the second is over
    expect(emitted).toEqual([0.9]);
    timers.advance(600);
    note();
    events.onProgress(0.92); // held back again, a second after that one
    timers.advance(999);
    expect(emitted).toEqual([0.9, 0.91]);
    timers.advance(1);
    note();
    events.onProgress(0.92); // not moved: nothing to say
    timers.advance(5_000);
    expect(emitted).toEqual([0.9, 0.91, 0.92]);
    expect(at).toEqual([0, 1_000, 2_000]);
  });

  it("reports a value held back by the one-a-second rule when the second is over: where a load stopped", () => {
    const { timers, emitted, events } = setUp();
    events.onProgress(0.9);
    events.onProgress(0.999); // at once after 90 %, then nothing more: the load hangs
    expect(emitted).toEqual([0.9]);
    timers.advance(1_000);
    expect(emitted).toEqual([0.9, 0.99]);
    expect(timers.pendingCount).toBe(0);
  });

  it("says nothing more once stopped (the load ended), not even what it held back", () => {
    const { timers, emitted, events } = setUp();
    events.onProgress(0.9);
    events.onProgress(0.95);
    events.stop();
    timers.advance(5_000);
    events.loaded();
    expect(emitted).toEqual([0.9]);
    expect(timers.pendingCount).toBe(0);
  });

  it("reports 100 % once the load is done, when the host stopped short of it", () => {
    const { emitted, events } = setUp();
    events.onProgress(0.999);
    events.loaded();
    events.loaded();
    expect(emitted).toEqual([0.99, 1]);
  });
});
