import { describe, expect, it } from "vitest";
import { isRuntimeError, type RuntimeError } from "../errors/runtime-error";
import { ManualTimers } from "../testing/manual-timers";
import { type SimulatedModel, SimulatedRuntime } from "../testing/simulated-runtime";
import { loadUnlessStalled } from "./load-watchdog";

const GiB = 1024 ** 3;
const STALL_MS = 60_000;

const base: SimulatedModel = {
  modelKey: "ultralong",
  displayName: "Ultralong",
  type: "llm",
  format: "gguf",
  publisher: "test",
  path: "test/ultralong.gguf",
  sizeBytes: GiB,
  architecture: "llama",
  quantization: "Q4_K_M",
  params: "8B",
  declaredContext: 524_288,
  vision: false,
  toolUse: false,
  kvBytesPerToken: 1_024,
  hangAbove: 65_536,
};

function setUp(model: Partial<SimulatedModel> = {}, loadTimeoutMs?: number) {
  const timers = new ManualTimers();
  const runtime = new SimulatedRuntime({
    models: [{ ...base, ...model }],
    memoryBytes: 16 * GiB,
    timers,
    ...(loadTimeoutMs !== undefined && { loadTimeoutMs }),
  });
  const progress: number[] = [];
  const load = (contextLength: number, signal?: AbortSignal) => {
    let outcome: { error?: RuntimeError; done?: boolean } = {};
    const promise = loadUnlessStalled(
      runtime,
      "ultralong",
      { contextLength, onProgress: (p) => progress.push(p), ...(signal && { signal }) },
      { stallMs: STALL_MS, timers },
    ).then(
      () => {
        outcome = { done: true };
      },
      (error: unknown) => {
        if (!isRuntimeError(error)) throw error;
        outcome = { error };
      },
    );
    return { promise, outcome: () => outcome };
  };
  const flush = () => new Promise((resolve) => setImmediate(resolve));
  return { timers, runtime, progress, load, flush };
}

describe("the stall rule on loads (virtual time)", () => {
  it("gives a load up as STALLED once its progress has not moved for the stall time, and leaves nothing loaded", async () => {
    const { timers, runtime, progress, load, flush } = setUp();
    const pending = load(131_072);
    await flush();
    expect(progress).toEqual([0.9]);
    timers.advance(STALL_MS - 1);
    await flush();
    expect(pending.outcome()).toEqual({});
    timers.advance(1);
    await pending.promise;
    const { error } = pending.outcome();
    expect(error?.category).toBe("STALLED");
    expect(error?.message).toBe("No load progress for 60 s (stuck at 90%); given up as stalled");
    expect(await runtime.listLoaded()).toEqual([]);
    expect(timers.pendingCount).toBe(0);
  });

  it("restarts the clock at every rise of the progress: a slow load that keeps moving is not stalled", async () => {
    // 10 reports 40 s apart: 400 s in all, far over the stall time, never 60 s without progress.
    const { timers, runtime, progress, load } = setUp({
      hangAbove: undefined,
      slowLoad: { steps: 10, everyMs: 40_000 },
    });
    const pending = load(131_072);
    await timers.drive(pending.promise);
    expect(pending.outcome()).toEqual({ done: true });
    expect(timers.now()).toBe(400_000);
    expect(progress).toHaveLength(10);
    expect((await runtime.listLoaded()).map((loaded) => loaded.contextLength)).toEqual([131_072]);
  });

  it("a slow load whose reports come further apart than the stall time is stalled at its last report", async () => {
    const { timers, load } = setUp({ hangAbove: undefined, slowLoad: { steps: 10, everyMs: 70_000 } });
    const pending = load(131_072);
    await timers.drive(pending.promise);
    expect(pending.outcome().error?.category).toBe("STALLED");
    expect(pending.outcome().error?.message).toContain("(no progress reported)");
    expect(timers.now()).toBe(STALL_MS);
  });

  it("keeps the runtime's load timeout as a backstop for a load that moves but never ends in time", async () => {
    const { timers, load } = setUp(
      { hangAbove: undefined, slowLoad: { steps: 10, everyMs: 40_000 } },
      200_000,
    );
    const pending = load(131_072);
    await timers.drive(pending.promise);
    expect(pending.outcome().error?.category).toBe("TIMEOUT");
    expect(timers.now()).toBe(200_000);
  });

  it("a cancel of the caller stays a cancel, not a stall", async () => {
    const { timers, load, flush } = setUp();
    const controller = new AbortController();
    const pending = load(131_072, controller.signal);
    await flush();
    controller.abort("cancelled");
    await pending.promise;
    expect(pending.outcome().error?.category).toBe("CANCELLED");
    expect(timers.pendingCount).toBe(0);
  });

  it("loads that do not hang pass through untouched", async () => {
    const { timers, load } = setUp();
    const pending = load(32_768);
    await pending.promise;
    expect(pending.outcome()).toEqual({ done: true });
    expect(timers.pendingCount).toBe(0);
  });
});
