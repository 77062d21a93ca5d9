import { parseRunEvent } from "@lmstrix/core";
import { describe, expect, it } from "vitest";
import {
  applyRunEvent,
  displayedModelStatus,
  INITIAL_RUN_PROGRESS,
  type RunEventMessage,
  type RunProgress,
  stoppedTime,
} from "./run-progress";

const at = new Date("2025-07-01T10:00:00Z");
let nextId = 0;
/** An event as the page receives it: a stored row read by `parseRunEvent` (one that does not parse is a broken fixture). */
const event = (type: string, payload: Record<string, unknown> = {}): RunEventMessage => {
  const parsed = parseRunEvent({ id: ++nextId, runId: 1, type, payload, createdAt: at });
  if (!parsed) throw new Error(`fixture ${type} ${JSON.stringify(payload)} does not parse`);
  return parsed;
};

function fold(events: RunEventMessage[]): RunProgress {
  return events.reduce(applyRunEvent, INITIAL_RUN_PROGRESS);
}

const probe = (probeId: number, context: number, outcome: string) => [
  event("probe.started", { probeId, modelKey: "qwen3-4b", context }),
  event("probe.loadProgress", { probeId, modelKey: "qwen3-4b", progress: 0.5 }),
  event("probe.finished", {
    probeId,
    modelKey: "qwen3-4b",
    context,
    applied: outcome === "pass" ? context : null,
    outcome,
    errorCategory: outcome === "pass" ? null : "INSUFFICIENT_RESOURCES",
    errorMessage: null,
    reply: outcome === "pass" ? "96" : null,
    loadMs: 420,
    genTokensPerSec: 41.5,
  }),
];

describe("applyRunEvent", () => {
  it("follows a run from queue to result", () => {
    const events = [
      event("run.queued", { mode: "single" }),
      event("run.started", { holder: "web" }),
      event("log", { message: "Testing 1 model", modelKeys: ["qwen3-4b"] }),
      event("model.started", { modelKey: "qwen3-4b", declared: 32_768 }),
      ...probe(1, 2_048, "pass"),
      ...probe(2, 31_744, "pass"),
      ...probe(3, 32_768, "fail"),
      event("model.finished", {
        modelKey: "qwen3-4b",
        status: "completed",
        limit: 31_744,
        declared: 32_768,
        reason: null,
        errorCategory: null,
      }),
      event("run.finished", { status: "completed", message: null }),
    ];
    const state = fold(events);
    expect(state.status).toBe("completed");
    expect(state.plannedModels).toEqual(["qwen3-4b"]);
    expect(state.probes.map((p) => [p.context, p.outcome])).toEqual([
      [2_048, "pass"],
      [31_744, "pass"],
      [32_768, "fail"],
    ]);
    expect(state.models).toEqual([
      expect.objectContaining({
        modelKey: "qwen3-4b",
        status: "completed",
        limit: 31_744,
        passed: 2,
        failed: 1,
      }),
    ]);
    expect(state.currentProbe).toBeNull();
    expect(state.currentModel).toBeNull();
  });

  it("keeps what each probe asked and expected, marks filled-window checks, and the effective limit", () => {
    const state = fold([
      event("run.started"),
      event("probe.finished", {
        probeId: 1,
        modelKey: "qwen3-4b",
        context: 2_048,
        outcome: "pass",
        kind: "loadable",
        prompt: "Write 'ninety-six' as a number using only digits",
        expectedAnswer: "96",
        reply: "96",
      }),
      event("probe.finished", {
        probeId: 2,
        modelKey: "qwen3-4b",
        context: 16_384,
        outcome: "pass",
        kind: "effective",
        prompt: "Filled prompt of 15,900 tokens: 1 needle (50%)\nWhat is the secret code for Lisbon?",
        expectedAnswer: "55555",
        reply: "55555",
        recall: 1,
        promptTokensSent: 15_900,
        isTruncated: false,
      }),
      // An event written before the kind was sent for every probe.
      event("probe.finished", {
        probeId: 3,
        modelKey: "qwen3-4b",
        context: 4_096,
        outcome: "pass",
        reply: "96",
      }),
      event("model.finished", {
        modelKey: "qwen3-4b",
        status: "completed",
        limit: 31_744,
        declared: 32_768,
        effectiveLimit: 15_900,
        effectiveReason: "reaches 100% recall with 15,900 prompt tokens",
      }),
    ]);
    expect(state.probes.map((p) => [p.kind, p.expectedAnswer, p.recall, p.promptTokensSent])).toEqual([
      ["loadable", "96", null, null],
      ["effective", "55555", 1, 15_900],
      ["loadable", null, null, null],
    ]);
    expect(state.probes[1]?.prompt).toContain("What is the secret code for Lisbon?");
    expect(state.models[0]?.effective).toEqual({
      limit: 15_900,
      reason: "reaches 100% recall with 15,900 prompt tokens",
    });
  });

  it("has no effective result for a model of a run without the effective check", () => {
    const state = fold([
      event("model.finished", { modelKey: "qwen3-4b", status: "completed", limit: 31_744, declared: 32_768 }),
    ]);
    expect(state.models[0]?.effective).toBeNull();
  });

  it("shows the probe in flight with its load progress", () => {
    const runStarted = event("run.started");
    const [started, progress] = probe(7, 8_192, "pass");
    const state = fold([runStarted, started!, progress!]);
    expect(state.currentProbe).toMatchObject({ probeId: 7, context: 8_192, progress: 0.5 });
    expect(state.currentModel).toBe("qwen3-4b");
    expect(state.models[0]?.status).toBe("testing");
  });

  it("ignores events it has seen, so a replay after reconnecting changes nothing", () => {
    const events = [event("run.started"), ...probe(9, 2_048, "pass")];
    const once = fold(events);
    const twice = events.reduce(applyRunEvent, once);
    expect(twice).toBe(once);
    expect(twice.probes).toHaveLength(1);
  });

  it("keeps warnings and log lines in order", () => {
    const state = fold([
      event("warning", { modelKey: "qwen3-4b", message: "near the last bad size", level: "high" }),
      event("log", { message: "Scanned 4 models" }),
    ]);
    expect(state.messages.map((m) => [m.kind, m.message, m.level])).toEqual([
      ["warning", "near the last bad size", "high"],
      ["log", "Scanned 4 models", null],
    ]);
  });

  it("shows a moved limit: a regression as a warning, an improvement as a log line", () => {
    const change = (direction: string, description: string) =>
      event("model.limitChanged", {
        modelKey: "qwen3-4b",
        kind: "loadable",
        from: 60_000,
        to: 48_000,
        direction,
        description,
      });
    const state = fold([
      change("regression", "60,000 → 48,000 after LM Studio 0.3.20 → 0.4.21"),
      change("improvement", "48,000 → 60,000"),
    ]);
    expect(state.messages.map((m) => [m.kind, m.modelKey, m.message])).toEqual([
      ["warning", "qwen3-4b", "Loadable limit regression: 60,000 → 48,000 after LM Studio 0.3.20 → 0.4.21"],
      ["log", "qwen3-4b", "Loadable limit improvement: 48,000 → 60,000"],
    ]);
  });

  it("keeps an interruption and the resumption in the messages after the run completed", () => {
    const state = fold([
      event("run.started", { holder: "web:a:1" }),
      ...probe(11, 2_048, "pass"),
      event("run.interrupted", { message: "The process running this run stopped; it will resume" }),
      event("run.resumed", { holder: "web:a:2" }),
      event("run.finished", { status: "completed", message: null }),
    ]);
    expect(state.status).toBe("completed");
    expect(state.messages.map((m) => [m.kind, m.message])).toEqual([
      ["warning", "Interrupted: The process running this run stopped; it will resume"],
      ["log", "Resumed where it stopped (by web:a:2)"],
    ]);
  });

  it("counts the time a run was stopped, from its last event before the interruption to the resumption", () => {
    const minute = 60_000;
    const atMinute = (type: string, m: number, payload: Record<string, unknown> = {}) => ({
      ...event(type, payload),
      createdAt: new Date(at.getTime() + m * minute),
    });
    // Killed at about minute 5 (its last event); the next start, at minute 30, records the interruption.
    const interrupted = fold([
      atMinute("run.started", 0),
      atMinute("log", 5, { message: "Scanned 4 models" }),
      atMinute("run.interrupted", 30),
    ]);
    expect(stoppedTime(interrupted, new Date(at.getTime() + 31 * minute))).toBe(26 * minute);
    const resumed = [
      atMinute("run.resumed", 31),
      atMinute("log", 40),
      atMinute("run.interrupted", 41),
    ].reduce(applyRunEvent, interrupted);
    // A clean stop writes its interruption at once: stopped from minute 40 (the event before it) to the end.
    const finished = [
      atMinute("run.resumed", 50),
      atMinute("run.finished", 60, { status: "completed" }),
    ].reduce(applyRunEvent, resumed);
    expect(stoppedTime(finished, new Date(at.getTime() + 999 * minute))).toBe((26 + 10) * minute);
    // The interruption knows the dead worker's last heartbeat (minute 7, in a long silent step): from there.
    const withHeartbeat = fold([
      atMinute("run.started", 0),
      atMinute("log", 5),
      atMinute("run.interrupted", 30, { lastAliveAt: new Date(at.getTime() + 7 * minute).toISOString() }),
      atMinute("run.resumed", 31),
    ]);
    expect(stoppedTime(withHeartbeat, new Date())).toBe(24 * minute);
    // Never interrupted: nothing stopped.
    expect(stoppedTime(fold([atMinute("run.started", 0), atMinute("run.finished", 9)]), new Date())).toBe(0);
  });
});

const URL = "ws://studio.lan:1234";
const waiting = () =>
  event("warning", {
    message: `LM Studio at ${URL} is not answering (connect ECONNREFUSED); waiting up to 120 s for it`,
    hostUrl: URL,
    hostWait: "waiting",
  });
const back = () => event("log", { message: `LM Studio at ${URL} is back`, hostUrl: URL, hostWait: "back" });
const probeStarted = () => event("probe.started", { probeId: 4, modelKey: "qwen3-4b", context: 8_192 });

describe("a run waiting for LM Studio", () => {
  it("shows the wait instead of the probe LM Studio dropped, until the host is back", () => {
    const lost = fold([event("run.started"), probeStarted(), waiting()]);
    expect(lost.hostWait).toEqual({
      hostUrl: URL,
      message: `LM Studio at ${URL} is not answering (connect ECONNREFUSED); waiting up to 120 s for it`,
      since: at,
    });
    expect(lost.currentProbe).toBeNull();
    expect(lost.messages.map((m) => m.kind)).toEqual(["warning"]);

    const resumed = [back(), probeStarted()].reduce(applyRunEvent, lost);
    expect(resumed.hostWait).toBeNull();
    expect(resumed.currentProbe).toMatchObject({ probeId: 4, context: 8_192 });
    expect(resumed.messages.map((m) => m.message)).toContain(`LM Studio at ${URL} is back`);
  });

  it("stops showing the wait when the run ends without the host coming back", () => {
    const state = fold([event("run.started"), waiting(), event("run.finished", { status: "failed" })]);
    expect(state.hostWait).toBeNull();
  });

  it("is not set by other warnings", () => {
    const state = fold([event("warning", { message: `LM Studio at ${URL} is not answering` })]);
    expect(state.hostWait).toBeNull();
  });
});

describe("displayedModelStatus", () => {
  it("calls a model left testing in a finished run stopped", () => {
    const model = {
      modelKey: "m",
      status: "testing",
      declared: null,
      limit: null,
      reason: null,
      errorCategory: null,
      effective: null,
      passed: 0,
      failed: 0,
    };
    expect(displayedModelStatus(model, "running")).toBe("testing");
    expect(displayedModelStatus(model, "cancelled")).toBe("stopped");
  });

  it("follows skip requests until the skipped model's end, and this run's probe times", () => {
    const state = fold([
      event("run.started", { holder: "web" }),
      event("log", { message: "Testing 2 model(s)", modelKeys: ["qwen3-4b", "slow"] }),
      ...probe(1, 2_048, "pass"),
      event("probe.started", { probeId: 2, modelKey: "slow", context: 2_048, stallMs: 60_000 }),
      event("probe.loadProgress", { probeId: 2, modelKey: "slow", progress: 0.3 }),
      event("model.skipRequested", { modelKey: "slow", by: "alice" }),
    ]);
    expect(state.skipsAsked).toEqual(["slow"]);
    expect(state.messages.at(-1)).toMatchObject({ message: "Skip asked by alice", modelKey: "slow" });
    expect(state.currentProbe).toMatchObject({ probeId: 2, progress: 0.3, stallMs: 60_000, loadedAt: null });
    expect(state.timing.plannedModels).toBe(2);
    expect(state.timing.probeCount).toBe(1);
    const skipped = [
      event("probe.finished", { probeId: 2, modelKey: "slow", context: 2_048, outcome: "cancelled" }),
      event("model.finished", { modelKey: "slow", status: "skipped", reason: "skipped by alice" }),
    ].reduce(applyRunEvent, state);
    expect(skipped.skipsAsked).toEqual([]);
    expect(skipped.models.find((model) => model.modelKey === "slow")).toMatchObject({
      status: "skipped",
      reason: "skipped by alice",
    });
    // A cancelled probe took no typical time.
    expect(skipped.timing.probeCount).toBe(1);
  });
});
