import { type SimulatedModel, SimulatedRuntime } from "@lmstrix/core/testing";
import { describe, expect, it } from "vitest";
import { executeOnStore, GiB, SMALL_MODEL, startRun, useTempStore } from "../test/support/engine-harness";

function model(overrides: Partial<SimulatedModel> = {}): SimulatedModel {
  return {
    ...SMALL_MODEL,
    modelKey: "long-window",
    displayName: "Long Window",
    path: "test/long-window.gguf",
    declaredContext: 65_536,
    toolUse: true,
    // Prompts of more than 20,000 tokens get a ramble (the loaded size does not matter).
    effectiveContext: 20_000,
    ...overrides,
  };
}

describe("effective-context search (engine, SimulatedRuntime, real store)", () => {
  const temp = useTempStore();

  async function createRun(options: Record<string, unknown>) {
    return (await startRun(temp.store, { modelKeys: ["long-window"], ...options })).run;
  }

  it("measures the effective limit after the loadable one, within the precision and never above", async () => {
    const runtime = new SimulatedRuntime({ models: [model()], memoryBytes: 16 * GiB });
    const run = await createRun({ effective: true, strategy: "lmstrix" });
    const { result, events } = await executeOnStore(temp.store, runtime, run.id);
    expect(result.status).toBe("completed");
    const stored = (await temp.store.getModel(1, "long-window"))!;
    expect(stored.testStatus).toBe("completed");
    expect(stored.loadableLimit).toBe(65_536);
    expect(stored.effectiveLimit).toBeLessThanOrEqual(20_000);
    expect(stored.effectiveLimit).toBeGreaterThanOrEqual(20_000 - 256);
    // Read at the run's threshold: a later run at another one is not compared with it.
    expect(stored.effectiveThreshold).toBe(run.options.recallThreshold);
    // The loadable markers are the loadable search's: the failed filled checks did not mark sizes bad.
    expect(stored.lastGoodContext).toBe(65_536);
    expect(stored.lastBadContext).toBeNull();
    const finished = events.filter((event) => event.type === "model.finished");
    expect(finished).toHaveLength(1);
    expect(finished[0]?.payload).toMatchObject({ limit: 65_536, effectiveLimit: stored.effectiveLimit });
    expect(String(finished[0]?.payload.effectiveReason)).toMatch(/100% recall/);

    const probes = await temp.store.listRunProbes(run.id);
    const filled = probes.filter((probe) => probe.kind === "effective");
    for (const probe of filled) {
      expect(probe.recall).toBe(probe.outcome === "pass" ? 1 : 0);
      expect(probe.promptTokensSent).toBe(probe.promptTokens);
      expect(probe.isTruncated).toBe(false);
      expect(probe.promptTokensSent! <= 20_000).toBe(probe.outcome === "pass");
    }
    // Each size once: the two searches are read apart.
    expect(new Set(filled.map((probe) => probe.contextRequested)).size).toBe(filled.length);
  });

  it("leaves the effective limit null, and says why, when even the smallest filled check fails", async () => {
    const runtime = new SimulatedRuntime({
      models: [model({ effectiveContext: 500 })],
      memoryBytes: 16 * GiB,
    });
    const run = await createRun({ effective: true, recallThreshold: 0.5 });
    const { events } = await executeOnStore(temp.store, runtime, run.id);
    const stored = (await temp.store.getModel(1, "long-window"))!;
    expect(stored).toMatchObject({ testStatus: "completed", loadableLimit: 65_536, effectiveLimit: null });
    // None found at 50 %: a result of its own, not "not measured".
    expect(stored.effectiveThreshold).toBe(0.5);
    const finished = events.find((event) => event.type === "model.finished");
    expect(String(finished?.payload.effectiveReason)).toMatch(/even at 2,048 tokens/);
  });

  it("resumes an interrupted effective search without repeating a finished probe", async () => {
    const runtime = new SimulatedRuntime({ models: [model()], memoryBytes: 16 * GiB });
    const run = await createRun({ effective: true });
    let filledDone = 0;
    const first = await executeOnStore(temp.store, runtime, run.id, {
      stopAfter: (type, payload) => {
        if (type === "probe.finished" && payload.kind === "effective") filledDone += 1;
        return filledDone === 2;
      },
    });
    expect(first.result.status).toBe("cancelled");
    expect((await temp.store.getModel(1, "long-window"))?.testStatus).toBe("testing");
    const second = await executeOnStore(temp.store, runtime, run.id);
    expect(second.result.status).toBe("completed");
    const stored = (await temp.store.getModel(1, "long-window"))!;
    expect(stored.testStatus).toBe("completed");
    expect(stored.effectiveLimit).toBeLessThanOrEqual(20_000);
    expect(stored.effectiveLimit).toBeGreaterThanOrEqual(20_000 - 256);
    const probes = await temp.store.listRunProbes(run.id);
    for (const kind of ["loadable", "effective"] as const) {
      const sizes = probes.filter((probe) => probe.kind === kind).map((probe) => probe.contextRequested);
      expect(new Set(sizes).size, kind).toBe(sizes.length);
    }
    expect(probes.every((probe) => probe.outcome !== null)).toBe(true);
  });
});
