import { describe, expect, it } from "vitest";
import { parseRunEvent, type RunEvent } from "../domain/event";
import {
  describeTimeLeft,
  estimateTimeLeft,
  foldRunTiming,
  INITIAL_RUN_TIMING,
  type RunTiming,
} from "./time-left";

const T0 = Date.parse("2026-01-01T00:00:00Z");
const at = (seconds: number) => new Date(T0 + seconds * 1_000);
const NO_HISTORY = { probeMs: null, probesPerModel: null };

/** Builds a run's events: `probe(model, from, to)` adds a probe that took `to − from` seconds. */
function runEvents(planned: string[]) {
  const events: RunEvent[] = [];
  const push = (type: string, payload: Record<string, unknown>, createdAt: Date) => {
    const event = parseRunEvent({ id: events.length + 1, runId: 1, type, payload, createdAt });
    if (!event) throw new Error(`not a ${type} event: ${JSON.stringify(payload)}`);
    events.push(event);
  };
  push("log", { message: "Testing", modelKeys: planned }, at(0));
  let probeId = 0;
  return {
    events,
    probe(modelKey: string, from: number, to: number | null, outcome = "pass") {
      probeId += 1;
      push("probe.started", { probeId, modelKey }, at(from));
      if (to !== null) push("probe.finished", { probeId, modelKey, outcome }, at(to));
    },
    interrupt(seconds: number) {
      push("run.interrupted", {}, at(seconds));
    },
    finish(modelKey: string, seconds: number, status = "completed") {
      push("model.finished", { modelKey, status }, at(seconds));
    },
    timing(): RunTiming {
      return events.reduce(foldRunTiming, INITIAL_RUN_TIMING);
    },
  };
}

describe("time left of a run", () => {
  it("is unknown until the run (or the host) has both a probe time and a model's probe count", () => {
    const run = runEvents(["a", "b", "c"]);
    expect(estimateTimeLeft(run.timing(), { host: NO_HISTORY, cooldownMs: 0, now: at(0) })).toBeNull();
    run.probe("a", 0, 10);
    // A probe time, but no model has finished: how many probes a model takes is not known yet.
    expect(estimateTimeLeft(run.timing(), { host: NO_HISTORY, cooldownMs: 0, now: at(10) })).toBeNull();
    expect(describeTimeLeft(null)).toBe("unknown");
  });

  it("counts the probes still needed at this run's mean probe time, plus a cool-down before each model left", () => {
    const run = runEvents(["a", "b", "c", "d"]);
    // "a": 4 probes of 10 s, "b": 2 of 20 s: 80 s for 6 probes, 3 probes a model.
    for (let index = 0; index < 4; index += 1) run.probe("a", index * 10, index * 10 + 10);
    run.finish("a", 40);
    run.probe("b", 40, 60);
    run.probe("b", 60, 80);
    run.finish("b", 80);
    const timing = run.timing();
    const probeMs = (80 * 1_000) / 6;
    // "c" and "d" not started: 6 probes, and 2 cool-downs of 5 s.
    const left = estimateTimeLeft(timing, { host: NO_HISTORY, cooldownMs: 5_000, now: at(80) });
    expect(left).toEqual({ ms: Math.round(6 * probeMs + 2 * 5_000), basis: "this run" });
  });

  it("a model under way needs the rest of the typical count (at least its probe in flight), less what that probe took", () => {
    const run = runEvents(["a", "b"]);
    for (let index = 0; index < 3; index += 1) run.probe("a", index * 10, index * 10 + 10);
    run.finish("a", 30);
    run.probe("b", 30, 40);
    run.probe("b", 40, null); // in flight for 4 s at `now`
    const left = estimateTimeLeft(run.timing(), { host: NO_HISTORY, cooldownMs: 0, now: at(44) });
    // "b" took 1 of 3 probes: 2 left (the one in flight and one more) at 10 s, 4 s of which are gone.
    expect(left).toEqual({ ms: 16_000, basis: "this run" });
  });

  it("uses the host's earlier runs while this run has no figure of its own", () => {
    const run = runEvents(["a", "b"]);
    const host = { probeMs: 30_000, probesPerModel: 5 };
    expect(estimateTimeLeft(run.timing(), { host, cooldownMs: 0, now: at(0) })).toEqual({
      ms: 10 * 30_000,
      basis: "earlier runs on this host",
    });
    run.probe("a", 0, 12);
    // Its own probe time now, the host's probe count still.
    expect(estimateTimeLeft(run.timing(), { host, cooldownMs: 0, now: at(12) })).toEqual({
      ms: (4 + 5) * 12_000,
      basis: "earlier runs on this host",
    });
  });

  it("leaves cancelled probes and the time of an interruption out of the probe times", () => {
    const run = runEvents(["a", "b"]);
    run.probe("a", 0, 10);
    run.probe("a", 10, 500, "cancelled");
    run.probe("a", 500, null);
    run.interrupt(505);
    run.finish("a", 900, "skipped");
    const timing = run.timing();
    expect(timing).toMatchObject({ probeCount: 1, probeMsTotal: 10_000, openProbes: {} });
    expect(estimateTimeLeft(timing, { host: NO_HISTORY, cooldownMs: 0, now: at(900) })).toEqual({
      ms: 10_000,
      basis: "this run",
    });
  });

  it("is nothing once every model has finished", () => {
    const run = runEvents(["a"]);
    run.probe("a", 0, 10);
    run.finish("a", 10);
    expect(estimateTimeLeft(run.timing(), { host: NO_HISTORY, cooldownMs: 3_000, now: at(10) })?.ms).toBe(0);
  });

  it.each([
    [0, "less than a minute"],
    [59_000, "less than a minute"],
    [12 * 60_000 + 10_000, "about 12 min"],
    [60 * 60_000, "about 1 h"],
    [125 * 60_000, "about 2 h 5 min"],
  ])("says %i ms as %s", (ms, text) => {
    expect(describeTimeLeft({ ms, basis: "this run" })).toBe(text);
  });
});
