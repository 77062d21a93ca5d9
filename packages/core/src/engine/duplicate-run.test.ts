import { describe, expect, it } from "vitest";
import { type RunMode, type RunOptions, runOptionsSchema } from "../domain/run";
import type { RunRecord, Store } from "../ports/store";
import { DuplicateRunError, sameRunOptions } from "./duplicate-run";
import { enqueueRun } from "./run-queue";

/** The part of a `Store` that queueing touches; a pending twin is looked up the way the port describes. */
function queueStore(existing: RunRecord[] = []) {
  const runs = [...existing];
  const events: string[] = [];
  const create = (input: { hostId: number; mode: RunMode; options: RunOptions; startedBy: string }) => {
    const run: RunRecord = {
      ...input,
      id: runs.length + 1,
      status: "queued",
      message: null,
      createdAt: new Date(),
      startedAt: null,
      finishedAt: null,
      lmStudioVersion: null,
    };
    runs.push(run);
    return run;
  };
  const store = {
    createRun: async (input: Parameters<Store["createRun"]>[0]) => create(input),
    createRunUnlessPending: async (input: Parameters<Store["createRun"]>[0]) => {
      const twin = runs.find(
        (run) =>
          run.hostId === input.hostId &&
          run.mode === input.mode &&
          ["queued", "running", "interrupted"].includes(run.status) &&
          sameRunOptions(run.options, input.options),
      );
      return twin ? { run: twin, created: false } : { run: create(input), created: true };
    },
    appendEvent: async (runId: number, type: string) => {
      events.push(`${runId}:${type}`);
    },
  };
  return { store: store as unknown as Store, runs, events };
}

const ALL = runOptionsSchema.parse({});
const request = (mode: RunMode, options: RunOptions = ALL) => ({
  hostId: 1,
  mode,
  options,
  startedBy: "web",
});

describe("sameRunOptions", () => {
  it("ignores key order and undefined keys, and tells different options apart", () => {
    const reordered = Object.fromEntries(Object.entries(ALL).reverse()) as RunOptions;
    expect(sameRunOptions(ALL, reordered)).toBe(true);
    expect(sameRunOptions(ALL, { ...ALL, fixedContext: undefined })).toBe(true);
    expect(sameRunOptions(ALL, { ...ALL, reset: true })).toBe(false);
    expect(sameRunOptions(ALL, { ...ALL, modelKeys: ["a"] })).toBe(false);
  });
});

describe("enqueueRun refuses a second identical test-all of a host", () => {
  it("names the pending run, and writes nothing", async () => {
    const { store, runs, events } = queueStore();
    const first = await enqueueRun(store, request("all"));
    const refusal = await enqueueRun(store, request("all")).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DuplicateRunError);
    expect((refusal as DuplicateRunError).existing.id).toBe(first.id);
    expect((refusal as DuplicateRunError).message).toMatch(
      /^Run #1 \(test all, started by web\) is already queued/,
    );
    expect(runs).toHaveLength(1);
    expect(events).toEqual(["1:run.queued"]);
  });

  it("refuses while the twin runs or waits interrupted; accepts once it finished", async () => {
    for (const status of ["running", "interrupted"] as const) {
      const { store } = queueStore();
      const first = await enqueueRun(store, request("all"));
      first.status = status;
      await expect(enqueueRun(store, request("all"))).rejects.toThrow(`is already ${status}`);
    }
    for (const status of ["completed", "failed", "cancelled"] as const) {
      const { store } = queueStore();
      const first = await enqueueRun(store, request("all"));
      first.status = status;
      expect((await enqueueRun(store, request("all"))).id).toBe(2);
    }
  });

  it("accepts a test-all with other options, and queues single-model runs as asked", async () => {
    const { store, runs } = queueStore();
    await enqueueRun(store, request("all"));
    await enqueueRun(store, request("all", { ...ALL, reset: true }));
    const single = runOptionsSchema.parse({ modelKeys: ["m"] });
    await enqueueRun(store, request("single", single));
    await enqueueRun(store, request("single", single));
    expect(runs.map((run) => run.id)).toEqual([1, 2, 3, 4]);
  });
});
