import { describe, expect, it } from "vitest";
import { applyRunEvent, INITIAL_RUN_PROGRESS, type RunEventMessage, type RunProgress } from "./run-progress";

const at = new Date("2025-07-01T10:00:00Z");
let nextId = 0;
const event = (type: string, payload: Record<string, unknown> = {}): RunEventMessage => ({
  id: ++nextId,
  type,
  payload,
  createdAt: at,
});
const fold = (events: RunEventMessage[]): RunProgress => events.reduce(applyRunEvent, INITIAL_RUN_PROGRESS);

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
