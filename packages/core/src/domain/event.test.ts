import { describe, expect, it } from "vitest";
import {
  type PayloadOf,
  parseRunEvent,
  RUN_EVENT_KINDS,
  type RunEventRow,
  type RunEventType,
  readRunEvent,
  runEventTypeSchema,
} from "./event";
import { warningSubject } from "./events/warning-subject";

const row = (type: string, payload: Record<string, unknown>, id = 7): RunEventRow => ({
  id,
  runId: 3,
  type,
  payload,
  createdAt: new Date("2026-01-01T00:00:00Z"),
});

/** What the engine writes at the end of a probe today. */
const probeFinished: PayloadOf<"probe.finished"> = {
  probeId: 12,
  modelKey: "qwen3-4b",
  context: 8_192,
  applied: 8_192,
  outcome: "pass",
  errorCategory: null,
  errorMessage: null,
  reply: "96",
  loadMs: 420,
  genTokensPerSec: 41.5,
  kind: "loadable",
  prompt: "What is 12 × 8?",
  expectedAnswer: "96",
};

describe("run event schemas", () => {
  it("name every event kind once", () => {
    expect(Object.keys(RUN_EVENT_KINDS).sort()).toEqual([...runEventTypeSchema.options].sort());
  });

  it("read a stored row back as a typed event", () => {
    const event = parseRunEvent(row("probe.finished", probeFinished));
    expect(event?.type).toBe("probe.finished");
    if (event?.type !== "probe.finished") throw new Error("not a probe.finished event");
    // Typed fields: `event.payload.outcome` is a ProbeOutcome, `loadMs` a number.
    expect(event.payload.outcome).toBe("pass");
    expect(event.payload.loadMs).toBe(420);
    expect(event.createdAt).toEqual(new Date("2026-01-01T00:00:00Z"));
  });

  it("refuse a payload missing a field, naming the field", () => {
    const { status: _status, ...withoutStatus } = {
      modelKey: "qwen3-4b",
      status: "completed",
      limit: 31_744,
      declared: 32_768,
      reason: null,
      errorCategory: null,
    };
    const written = RUN_EVENT_KINDS["model.finished"].written.safeParse(withoutStatus);
    expect(written.success).toBe(false);
    expect(written.error?.issues.map((issue) => issue.path)).toEqual([["status"]]);

    expect(readRunEvent(row("model.finished", withoutStatus))).toEqual({
      problem: "Event #7 (model.finished) does not fit its kind: payload.status is missing",
    });
    expect(readRunEvent(row("probe.started", { probeId: 1, context: 2_048 }))).toEqual({
      problem: "Event #7 (probe.started) does not fit its kind: payload.modelKey is missing",
    });
  });

  it("refuse a field of the wrong type and an unknown kind", () => {
    expect(readRunEvent(row("probe.loadProgress", { probeId: 1, modelKey: "a", progress: "half" }))).toEqual({
      problem:
        "Event #7 (probe.loadProgress) does not fit its kind: payload.progress: Invalid input: expected number, received string",
    });
    expect(readRunEvent(row("model.exploded", { modelKey: "a" }))).toMatchObject({
      problem: expect.stringContaining("Event #7 (model.exploded) does not fit its kind: type:"),
    });
  });

  it("accept rows of earlier versions, which lack the fields added since", () => {
    // The first probe.finished events had no kind, prompt or expected answer, and probe.started no stall time.
    const { kind: _kind, prompt: _prompt, expectedAnswer: _expected, ...firstVersion } = probeFinished;
    const event = parseRunEvent(row("probe.finished", firstVersion));
    expect(event?.type === "probe.finished" && event.payload.kind).toBeUndefined();
    expect(parseRunEvent(row("probe.started", { probeId: 1, modelKey: "a", context: 2_048 }))).not.toBeNull();
    expect(parseRunEvent(row("run.queued", { mode: "single" }))).not.toBeNull();
  });

  it("keep the written payload types strict: a renamed or a missing field does not compile", () => {
    const emitted: { type: string; payload: unknown }[] = [];
    const emit = <T extends RunEventType>(type: T, payload: PayloadOf<T>) => emitted.push({ type, payload });
    emit("model.started", { modelKey: "a", declared: 8_192 });
    // @ts-expect-error `model` is not a field of model.started (it is `modelKey`)
    emit("model.started", { model: "a", declared: 8_192 });
    // @ts-expect-error model.skipRequested needs who asked
    emit("model.skipRequested", { modelKey: "a" });
    expect(emitted).toHaveLength(3);
  });
});

describe("warningSubject", () => {
  it("names the model and the size a warning is about, unless its message does", () => {
    expect(warningSubject({ message: "Timed out (attempt 1)", modelKey: "qwen", context: 8_192 })).toBe(
      "qwen at 8,192 tokens",
    );
    expect(warningSubject({ message: "qwen was cut", modelKey: "qwen", context: 8_192 })).toBe(
      "at 8,192 tokens",
    );
    expect(
      warningSubject({ message: "Loading at 8,192 tokens again", modelKey: "qwen", context: 8_192 }),
    ).toBe("qwen");
    expect(warningSubject({ message: "Lost LM Studio", modelKey: "qwen" })).toBe("qwen");
    // Named on its own only: inside another word or number it does not count; at a clause's end it does.
    expect(warningSubject({ message: "careful", modelKey: "a" })).toBe("a");
    expect(warningSubject({ message: "qwen3 was cut", modelKey: "qwen", context: 8_192 })).toBe(
      "qwen at 8,192 tokens",
    );
    expect(warningSubject({ message: "Cut at 18,192", modelKey: "q", context: 8_192 })).toBe(
      "q at 8,192 tokens",
    );
    expect(
      warningSubject({ message: "Cut for qwen2.5, at 8,192.", modelKey: "qwen2.5", context: 8_192 }),
    ).toBeNull();
    expect(warningSubject({ message: "2 models were loaded" })).toBeNull();
  });
});
