import { describe, expect, it } from "vitest";
import type { RunEventRow } from "../domain/event";
import { RuntimeError } from "../errors/runtime-error";
import type { Store } from "../ports/store";
import { ModelSkips, SKIP_REQUEST_EVENT, SkipRequestReader } from "./model-skip";
import { DEFAULT_ENGINE_SETTINGS, type RunContext, STOP_REASONS } from "./run-context";
import { sleep } from "./sleep";

function context(signal = new AbortController().signal): RunContext {
  return {
    runId: 1,
    store: {} as Store,
    runtime: {} as RunContext["runtime"],
    signal,
    settings: DEFAULT_ENGINE_SETTINGS,
    emit: async () => {},
    sleep: (ms) => sleep(ms, signal),
  };
}

/** Work that waits on its context's signal, as a load does. */
const untilAborted = (scoped: RunContext) =>
  new Promise<void>((_resolve, reject) => {
    scoped.signal.addEventListener("abort", () => reject(new RuntimeError("CANCELLED", "aborted")));
  });

describe("ModelSkips", () => {
  it("aborts the work of the model in flight with the `skipped` reason and reports it skipped", async () => {
    const skips = new ModelSkips();
    let reason: unknown;
    const outcome = skips.run(context(), "slow", (scoped) => {
      scoped.signal.addEventListener("abort", () => {
        reason = scoped.signal.reason;
      });
      return untilAborted(scoped);
    });
    skips.request("other", "alice");
    skips.request("slow", "alice");
    expect(await outcome).toBe("skipped");
    expect(reason).toBe(STOP_REASONS.skipped);
    expect(skips.requestedBy("slow")).toBe("alice");
  });

  it("interrupts a pause of the model (its context's sleep)", async () => {
    const skips = new ModelSkips();
    const run = new AbortController();
    const outcome = skips.run(context(run.signal), "slow", (scoped) => scoped.sleep(60_000));
    skips.request("slow", "bob");
    expect(await outcome).toBe("skipped");
    run.abort(); // ends the run's own timer
  });

  it("a skip asked before the work begins aborts it from the start; other models run as usual", async () => {
    const skips = new ModelSkips();
    skips.request("slow", "carol");
    let wasAborted: boolean | undefined;
    const outcome = await skips.run(context(), "slow", async (scoped) => {
      wasAborted = scoped.signal.aborted;
      throw new RuntimeError("CANCELLED", "skipped before its probe");
    });
    expect(wasAborted).toBe(true);
    expect(outcome).toBe("skipped");
    expect(await skips.run(context(), "fast", async () => {})).toBe("done");
  });

  it("a cancel of the whole run is not a skip: it is thrown", async () => {
    const skips = new ModelSkips();
    const run = new AbortController();
    const outcome = skips.run(context(run.signal), "slow", untilAborted);
    run.abort(STOP_REASONS.cancelled);
    await expect(outcome).rejects.toMatchObject({ category: "CANCELLED" });
  });
});

describe("SkipRequestReader", () => {
  it("reads skip requests from the run's events, page after page, and only new ones afterwards", async () => {
    const events: RunEventRow[] = [];
    const add = (type: RunEventRow["type"], payload: RunEventRow["payload"]) =>
      events.push({ id: events.length + 1, runId: 1, type, payload, createdAt: new Date() });
    for (let index = 0; index < 700; index += 1) add("probe.loadProgress", { progress: 0.5 });
    add(SKIP_REQUEST_EVENT, { modelKey: "slow", by: "dan" });
    const store = {
      listEventsAfter: async (_runId: number, afterId: number, limit: number) =>
        events.filter((event) => event.id > afterId).slice(0, limit),
    } as unknown as Store;
    const reader = new SkipRequestReader(store, 1, new ModelSkips());
    await reader.read();
    expect(reader.skips.requestedBy("slow")).toBe("dan");
    expect(reader.skips.requestedBy("later")).toBeUndefined();
    add(SKIP_REQUEST_EVENT, { modelKey: "later", by: "erin" });
    await reader.read();
    expect(reader.skips.requestedBy("later")).toBe("erin");
  });
});
