import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RunEventPayload, RunEventType } from "../domain/event";
import { isRuntimeError, RuntimeError } from "../errors/runtime-error";
import type { ModelRuntime } from "../ports/model-runtime";
import type { Store } from "../ports/store";
import { HOST_WAIT_STATES, waitForHost } from "./host-connection";
import { DEFAULT_ENGINE_SETTINGS, type RunContext } from "./run-context";

const URL = "ws://studio.lan:1234";

/** A context whose host fails `version()` with `failures` in turn, then answers; the clock moves only in `sleep`. */
function contextWith(failures: RuntimeError[], reconnectTimeoutMs: number) {
  const events: { type: RunEventType; payload: RunEventPayload }[] = [];
  const pauses: number[] = [];
  let now = 0;
  const runtime = {
    version: async () => {
      const failure = failures.shift();
      if (failure) throw failure;
      return { version: "0.3.20", build: 4 };
    },
  } as unknown as ModelRuntime;
  const ctx: RunContext = {
    runId: 1,
    store: {} as Store,
    runtime,
    signal: new AbortController().signal,
    settings: { ...DEFAULT_ENGINE_SETTINGS, reconnectTimeoutMs, reconnectPauseMs: 1_000 },
    emit: async (type, payload) => {
      events.push({ type, payload });
    },
    sleep: async (ms) => {
      pauses.push(ms);
      now += ms;
      vi.setSystemTime(Date.now() + ms);
    },
  };
  return { ctx, events, pauses, now: () => now };
}

const refused = () => new RuntimeError("UNREACHABLE", "connect ECONNREFUSED 127.0.0.1:1234");

describe("waitForHost", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("returns at once, saying nothing, when the host answers", async () => {
    const { ctx, events } = contextWith([], 10_000);
    await waitForHost(ctx, URL);
    expect(events).toEqual([]);
  });

  it("announces the wait once, tagged for viewers, and that the host is back", async () => {
    const { ctx, events, pauses } = contextWith([refused(), refused(), refused()], 60_000);
    await waitForHost(ctx, URL);
    expect(pauses).toEqual([1_000, 2_000, 4_000]);
    expect(events).toEqual([
      {
        type: "warning",
        payload: {
          message: `LM Studio at ${URL} is not answering (connect ECONNREFUSED 127.0.0.1:1234); waiting up to 60 s for it`,
          hostUrl: URL,
          hostWait: HOST_WAIT_STATES.waiting,
        },
      },
      {
        type: "log",
        payload: { message: `LM Studio at ${URL} is back`, hostUrl: URL, hostWait: HOST_WAIT_STATES.back },
      },
    ]);
  });

  it("fails as UNREACHABLE, naming the host and what to do, when the host stays away", async () => {
    const { ctx, now } = contextWith(Array.from({ length: 50 }, refused), 4_000);
    const error = await waitForHost(ctx, URL).catch((caught: unknown) => caught);
    expect(isRuntimeError(error) && error.category).toBe("UNREACHABLE");
    expect((error as Error).message).toBe(
      `LM Studio at ${URL} is not reachable (connect ECONNREFUSED 127.0.0.1:1234). Start LM Studio and its local server, or check the host's URL.`,
    );
    expect(now()).toBeLessThanOrEqual(4_000);
  });

  it("does not wait on errors that are not about the connection", async () => {
    const { ctx, events } = contextWith([new RuntimeError("UNKNOWN", "bad reply")], 60_000);
    await expect(waitForHost(ctx, URL)).rejects.toThrow("bad reply");
    expect(events).toEqual([]);
  });
});
