import {
  HostWorker,
  ModelSkips,
  type RunEventPayload,
  type RunEventType,
  requestModelSkip,
  runOptionsSchema,
  SkipRefusedError,
} from "@lmstrix/core";
import { ManualTimers, type SimulatedModel, SimulatedRuntime } from "@lmstrix/core/testing";
import { describe, expect, it } from "vitest";
import { executeOnStore, GiB, SMALL_MODEL, useTempStore } from "../test/support/engine-harness";

const model = (modelKey: string, extra: Partial<SimulatedModel> = {}): SimulatedModel => ({
  ...SMALL_MODEL,
  modelKey,
  path: `test/${modelKey}.gguf`,
  ...extra,
});
/** Loads of "slow" take 10 s of the test's clock, in 10 progress reports. */
const FLEET = [model("first"), model("slow", { slowLoad: { steps: 10, everyMs: 1_000 } }), model("last")];

describe("Skip this model (engine, real store)", () => {
  const temp = useTempStore();

  async function setUp(mode: "single" | "all", options: Record<string, unknown> = {}) {
    const timers = new ManualTimers();
    const runtime = new SimulatedRuntime({ models: FLEET, memoryBytes: 16 * GiB, timers });
    const host = await temp.store.ensureHost("local", "sim://host");
    await temp.store.syncModels(host.id, await runtime.listModels(), new Date());
    const slow = (await temp.store.getModel(host.id, "slow"))!;
    // What an earlier run left: a loadable limit and a last bad size, which the skip must not lose. (A
    // "test all" takes untested models only.)
    if (mode === "single") {
      await temp.store.updateModelSummary(slow.id, {
        testStatus: "completed",
        loadableLimit: 4_096,
        lastGoodContext: 4_096,
        lastBadContext: 6_000,
      });
    }
    const run = await temp.store.createRun({
      hostId: host.id,
      mode,
      options: runOptionsSchema.parse({
        cooldownMs: 0,
        strategy: "lmstrix",
        force: true,
        ...(mode === "single" && { modelKeys: FLEET.map((m) => m.modelKey) }),
        ...options,
      }),
      startedBy: "test",
    });
    await temp.store.setRunStatus(run.id, "running");
    return { timers, runtime, host, run };
  }

  it("ends the model in flight as skipped: probe cancelled, marker and status restored, unloaded; the run goes on", async () => {
    const { timers, runtime, host, run } = await setUp("single");
    const skips = new ModelSkips();
    let skippedProbe: number | null = null;
    const onEvent = (type: RunEventType, payload: RunEventPayload) => {
      // Half-way through the first load of "slow".
      if (type === "probe.loadProgress" && payload.modelKey === "slow" && payload.progress === 0.5) {
        skippedProbe = Number(payload.probeId);
        skips.request("slow", "alice");
      }
    };
    const { result, events } = await timers.drive(
      executeOnStore(temp.store, runtime, run.id, { skips, onEvent, timers }),
    );
    expect(result.status).toBe("completed");
    const slow = (await temp.store.getModel(host.id, "slow"))!;
    const probes = (await temp.store.listRunProbes(run.id)).filter((probe) => probe.modelId === slow.id);
    expect(probes).toHaveLength(1);
    expect(probes[0]).toMatchObject({ id: skippedProbe, outcome: "cancelled" });
    expect(slow).toMatchObject({ testStatus: "completed", loadableLimit: 4_096, lastBadContext: 6_000 });
    const finished = events.filter((event) => event.type === "model.finished");
    expect(finished.map((event) => [event.payload.modelKey, event.payload.status])).toEqual([
      ["first", "completed"],
      ["slow", "skipped"],
      ["last", "completed"],
    ]);
    expect(finished[1]?.payload.reason).toBe("skipped by alice");
    expect((await temp.store.getModel(host.id, "last"))?.testStatus).toBe("completed");
    expect(await runtime.listLoaded()).toEqual([]);
  });

  it("in a --all batch, the skipped model leaves the batch at once; a skip asked between its probes, at its next turn", async () => {
    const { timers, runtime, host, run } = await setUp("all");
    const skips = new ModelSkips();
    let probesOfSlowAtSkip = -1;
    let probesOfSlow = 0;
    const onEvent = (type: RunEventType, payload: RunEventPayload) => {
      if (type === "probe.started" && payload.modelKey === "slow") probesOfSlow += 1;
      // Pass 2 has begun ("first" probed again) while "slow" waits for its turn: it is not loading now.
      if (type === "probe.started" && payload.modelKey === "first" && payload.phase === "double") {
        if (probesOfSlowAtSkip === -1) {
          probesOfSlowAtSkip = probesOfSlow;
          skips.request("slow", "bob");
        }
      }
    };
    const { result, events } = await timers.drive(
      executeOnStore(temp.store, runtime, run.id, { skips, onEvent, timers }),
    );
    expect(result.status).toBe("completed");
    expect(probesOfSlowAtSkip).toBe(1);
    const slow = (await temp.store.getModel(host.id, "slow"))!;
    const probes = (await temp.store.listRunProbes(run.id)).filter((probe) => probe.modelId === slow.id);
    // Its one probe of pass 1; none after the skip, not even a cancelled one.
    expect(probes.map((probe) => probe.outcome)).toEqual(["pass"]);
    // Never left at testing: back to what its results say (a pass, no limit yet: untested).
    expect(slow).toMatchObject({ testStatus: "untested", lastGoodContext: 2_048, lastBadContext: null });
    const ends = events
      .filter((e) => e.type === "model.finished")
      .map((e) => [e.payload.modelKey, e.payload.status]);
    expect(ends).toContainEqual(["slow", "skipped"]);
    expect(ends).toContainEqual(["first", "completed"]);
    expect(ends).toContainEqual(["last", "completed"]);
    expect(await runtime.listLoaded()).toEqual([]);
  });

  it("a worker acts on a skip written to the store by anyone (the request is a run event)", async () => {
    const host = await temp.store.ensureHost("local", "sim://host");
    // Real time here: the worker's heartbeat reads the request. Loads of "slow" take 2 s.
    const runtime = new SimulatedRuntime({
      models: [model("first"), model("slow", { slowLoad: { steps: 20, everyMs: 100 } }), model("last")],
      memoryBytes: 16 * GiB,
    });
    const run = await temp.store.createRun({
      hostId: host.id,
      mode: "single",
      options: runOptionsSchema.parse({
        modelKeys: ["first", "slow", "last"],
        cooldownMs: 0,
        strategy: "lmstrix",
      }),
      startedBy: "test",
    });
    const worker = new HostWorker({
      store: temp.store,
      runtimeFor: () => runtime,
      holder: "test:worker",
      heartbeatMs: 20,
    });
    const draining = worker.drain(host);
    for (;;) {
      const events = await temp.store.listEventsAfter(run.id, 0, 10_000);
      if (events.some((e) => e.type === "probe.loadProgress" && e.payload.modelKey === "slow")) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await requestModelSkip(temp.store, { runId: run.id, modelKey: "slow", by: "carol" });
    await draining;
    const events = await temp.store.listEventsAfter(run.id, 0, 10_000);
    const skipped = events.find((e) => e.type === "model.finished" && e.payload.modelKey === "slow");
    expect(skipped?.payload).toMatchObject({ status: "skipped", reason: "skipped by carol" });
    expect(events.some((e) => e.type === "model.skipRequested" && e.payload.by === "carol")).toBe(true);
    expect((await temp.store.getRun(run.id))?.status).toBe("completed");
    expect((await temp.store.getModel(host.id, "slow"))?.testStatus).toBe("untested");
    expect((await temp.store.getModel(host.id, "last"))?.testStatus).toBe("completed");
    expect(await runtime.listLoaded()).toEqual([]);
  });

  describe("refusals (nothing written)", () => {
    async function refusal(runId: number, modelKey: string) {
      const before = await temp.store.listEventsAfter(runId, 0, 10_000).catch(() => []);
      const error = await requestModelSkip(temp.store, { runId, modelKey, by: "dave" }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(SkipRefusedError);
      expect(await temp.store.listEventsAfter(runId, 0, 10_000).catch(() => [])).toEqual(before);
      return (error as SkipRefusedError).message;
    }

    it("an unknown run, a run that is not running, a model not in flight", async () => {
      const { run, host } = await setUp("single");
      expect(await refusal(99, "slow")).toBe("No run #99");
      // Running, but nothing started yet.
      expect(await refusal(run.id, "slow")).toBe("slow is not in flight: it has not started in this run");
      expect(await refusal(run.id, "nope")).toBe('No model "nope" on the run\'s host');
      const first = (await temp.store.getModel(host.id, "first"))!;
      const probe = await temp.store.startProbe({
        runId: run.id,
        modelId: first.id,
        contextRequested: 2_048,
        kind: "loadable",
      });
      await temp.store.finishProbe(probe.id, { ...probe, outcome: "pass", errorCategory: null });
      await temp.store.updateModelSummary(first.id, { testStatus: "completed" });
      expect(await refusal(run.id, "first")).toBe(
        "first is not in flight: it has finished in this run already",
      );
      await temp.store.setRunStatus(run.id, "completed");
      expect(await refusal(run.id, "first")).toBe("Run #1 has ended (completed): there is no model to skip");
      const queued = await temp.store.createRun({
        hostId: host.id,
        mode: "single",
        options: run.options,
        startedBy: "t",
      });
      expect(await refusal(queued.id, "first")).toBe("Run #2 is queued: no model is in flight");
    });
  });
});
