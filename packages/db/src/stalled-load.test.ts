import { type RunMode, runOptionsSchema } from "@lmstrix/core";
import { ManualTimers, type SimulatedModel, SimulatedRuntime } from "@lmstrix/core/testing";
import { describe, expect, it } from "vitest";
import { executeOnStore, GiB, SMALL_MODEL, useTempStore } from "../test/support/engine-harness";

const STALL_MS = 60_000;
const HANGS_ABOVE = 65_536;

/** The demo fleet's `nvidia_llama-3.1-8b-ultralong-512k-instruct`: loads above 65,536 sit at 90 % for good. */
const ULTRALONG: SimulatedModel = {
  ...SMALL_MODEL,
  modelKey: "ultralong",
  displayName: "Ultralong",
  path: "test/ultralong.gguf",
  declaredContext: 524_288,
  kvBytesPerToken: 1_024,
  hangAbove: HANGS_ABOVE,
};

describe("a load that stalls (engine, SimulatedRuntime in virtual time, real store)", () => {
  const temp = useTempStore();

  async function runWith(mode: RunMode, options: Record<string, unknown>) {
    const timers = new ManualTimers();
    const runtime = new SimulatedRuntime({ models: [SMALL_MODEL, ULTRALONG], memoryBytes: 16 * GiB, timers });
    const host = await temp.store.ensureHost("local", "sim://host");
    const run = await temp.store.createRun({
      hostId: host.id,
      mode,
      options: runOptionsSchema.parse({ cooldownMs: 0, ...options }),
      startedBy: "test",
    });
    await temp.store.setRunStatus(run.id, "running");
    const settings = { loadStallMs: STALL_MS, timeoutRetries: 2 };
    const { result, events } = await timers.drive(
      executeOnStore(temp.store, runtime, run.id, { settings, timers }),
    );
    const model = (await temp.store.getModel(host.id, "ultralong"))!;
    const probes = (await temp.store.listRunProbes(run.id)).filter((probe) => probe.modelId === model.id);
    return { result, events, runtime, timers, model, probes, hostId: host.id };
  }

  it.each<[string, RunMode, Record<string, unknown>]>([
    ["lmstrix single-model search", "single", { modelKeys: ["ultralong"], strategy: "lmstrix" }],
    ["fit search", "single", { modelKeys: ["ultralong"], strategy: "fit" }],
    ["lmstrix --all batch", "all", { strategy: "lmstrix" }],
  ])(
    "%s: each stalled size fails once (no retry), the limit is found below it, nothing stays loaded",
    async (_name, mode, options) => {
      const { result, events, runtime, timers, model, probes, hostId } = await runWith(mode, options);
      expect(result.status).toBe("completed");
      const stalled = probes.filter((probe) => probe.contextRequested > HANGS_ABOVE);
      expect(stalled.length).toBeGreaterThan(0);
      for (const probe of stalled) {
        expect(probe).toMatchObject({ outcome: "fail", errorCategory: "STALLED", attempts: 1 });
        expect(probe.errorMessage).toBe("No load progress for 60 s (stuck at 90%); given up as stalled");
        // Loaded once: a stall is not retried like a timeout.
        const loads = runtime.loadLog.filter(
          (load) => load.modelKey === "ultralong" && load.contextLength === probe.contextRequested,
        );
        expect(loads).toHaveLength(1);
      }
      expect(
        events.some((event) => event.type === "warning" && /Timed out/.test(String(event.payload.message))),
      ).toBe(false);
      // Only the stall rule ended those loads: each took exactly the stall time of (virtual) waiting.
      expect(timers.now()).toBe(stalled.length * STALL_MS);
      expect(model.testStatus).toBe("completed");
      expect(model.loadableLimit).toBeLessThanOrEqual(HANGS_ABOVE);
      expect(model.loadableLimit).toBeGreaterThanOrEqual(HANGS_ABOVE - 1_024);
      expect(model.lastBadContext).toBeGreaterThan(HANGS_ABOVE);
      expect(await runtime.listLoaded()).toEqual([]);
      const finished = events.find(
        (event) => event.type === "probe.finished" && event.payload.errorCategory === "STALLED",
      );
      expect(finished?.payload).toMatchObject({ outcome: "fail", modelKey: "ultralong" });
      if (mode === "all") {
        // The batch went on with the other model.
        expect((await temp.store.getModel(hostId, "small"))?.testStatus).toBe("completed");
      }
    },
  );

  /** A fixed-size probe of "ultralong" above its hang size, with the runtime's own load timeout. */
  async function hungProbe(loadTimeoutMs: number, loadStallMs: number) {
    const timers = new ManualTimers();
    const runtime = new SimulatedRuntime({
      models: [ULTRALONG],
      memoryBytes: 16 * GiB,
      timers,
      loadTimeoutMs,
    });
    const host = await temp.store.ensureHost("local", "sim://host");
    const run = await temp.store.createRun({
      hostId: host.id,
      mode: "fixed-ctx",
      options: runOptionsSchema.parse({ modelKeys: ["ultralong"], fixedContext: 131_072, cooldownMs: 0 }),
      startedBy: "test",
    });
    await temp.store.setRunStatus(run.id, "running");
    await timers.drive(executeOnStore(temp.store, runtime, run.id, { settings: { loadStallMs }, timers }));
    const [probe] = await temp.store.listRunProbes(run.id);
    return { probe, elapsed: timers.now() };
  }

  it("with the stall rule off, the runtime's load timeout still ends a hung load (and is retried)", async () => {
    const { probe, elapsed } = await hungProbe(600_000, 0);
    expect(probe).toMatchObject({ outcome: "fail", errorCategory: "TIMEOUT", attempts: 3 });
    expect(elapsed).toBe(3 * 600_000);
  });

  it("the overall load timeout stays a backstop when it is shorter than the stall time", async () => {
    const { probe, elapsed } = await hungProbe(30_000, STALL_MS);
    expect(probe).toMatchObject({ outcome: "fail", errorCategory: "TIMEOUT", attempts: 3 });
    expect(elapsed).toBe(3 * 30_000);
  });
});
