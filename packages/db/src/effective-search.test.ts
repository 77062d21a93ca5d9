import {
  DEFAULT_ENGINE_SETTINGS,
  executeRun,
  type RunContext,
  type RunEventPayload,
  type RunEventType,
  runOptionsSchema,
  STOP_REASONS,
} from "@lmstrix/core";
import { type SimulatedModel, SimulatedRuntime } from "@lmstrix/core/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PrismaStore } from "./prisma-store";
import { openTempDatabase } from "./testing/temp-database";

const GiB = 1024 ** 3;

function model(overrides: Partial<SimulatedModel> = {}): SimulatedModel {
  return {
    modelKey: "long-window",
    displayName: "Long Window",
    type: "llm",
    format: "gguf",
    publisher: "test",
    path: "test/long-window.gguf",
    sizeBytes: GiB,
    architecture: "llama",
    quantization: "Q4_K_M",
    params: "1B",
    declaredContext: 65_536,
    vision: false,
    toolUse: true,
    kvBytesPerToken: 64 * 1024,
    // Prompts of more than 20,000 tokens get a ramble (the loaded size does not matter).
    effectiveContext: 20_000,
    ...overrides,
  };
}

/** The engine over the real store, with the simulated host; `stopAfter` aborts like a shutdown would. */
async function execute(
  store: PrismaStore,
  runtime: SimulatedRuntime,
  runId: number,
  stopAfter?: (type: RunEventType, payload: RunEventPayload) => boolean,
) {
  const controller = new AbortController();
  const events: { type: RunEventType; payload: RunEventPayload }[] = [];
  const ctx: RunContext = {
    runId,
    store,
    runtime,
    signal: controller.signal,
    settings: { ...DEFAULT_ENGINE_SETTINGS, reconnectTimeoutMs: 100, reconnectPauseMs: 1 },
    emit: async (type, payload) => {
      events.push({ type, payload });
      await store.appendEvent(runId, type, payload);
      if (stopAfter?.(type, payload)) controller.abort(STOP_REASONS.shutdown);
    },
    sleep: async () => {},
  };
  const run = (await store.getRun(runId))!;
  const result = await executeRun(ctx, run, "sim://host");
  return { result, events };
}

describe("effective-context search (engine, SimulatedRuntime, real store)", () => {
  let db: Awaited<ReturnType<typeof openTempDatabase>>;
  let store: PrismaStore;

  beforeEach(async () => {
    db = await openTempDatabase();
    store = new PrismaStore(db.prisma);
  });
  afterEach(async () => {
    await db.dispose();
  });

  async function createRun(options: Record<string, unknown>) {
    const host = await store.ensureHost("local", "sim://host");
    const run = await store.createRun({
      hostId: host.id,
      mode: "single",
      options: runOptionsSchema.parse({ modelKeys: ["long-window"], cooldownMs: 0, ...options }),
      startedBy: "test",
    });
    await store.setRunStatus(run.id, "running");
    return run;
  }

  it("measures the effective limit after the loadable one, within the precision and never above", async () => {
    const runtime = new SimulatedRuntime({ models: [model()], memoryBytes: 16 * GiB });
    const run = await createRun({ effective: true, strategy: "lmstrix" });
    const { result, events } = await execute(store, runtime, run.id);
    expect(result.status).toBe("completed");
    const stored = (await store.getModel(1, "long-window"))!;
    expect(stored.testStatus).toBe("completed");
    expect(stored.loadableLimit).toBe(65_536);
    expect(stored.effectiveLimit).toBeLessThanOrEqual(20_000);
    expect(stored.effectiveLimit).toBeGreaterThanOrEqual(20_000 - 256);
    // The loadable markers are the loadable search's: the failed filled checks did not mark sizes bad.
    expect(stored.lastGoodContext).toBe(65_536);
    expect(stored.lastBadContext).toBeNull();
    const finished = events.filter((event) => event.type === "model.finished");
    expect(finished).toHaveLength(1);
    expect(finished[0]?.payload).toMatchObject({ limit: 65_536, effectiveLimit: stored.effectiveLimit });
    expect(String(finished[0]?.payload.effectiveReason)).toMatch(/100 % recall/);

    const probes = await store.listRunProbes(run.id);
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
    const { events } = await execute(store, runtime, run.id);
    const stored = (await store.getModel(1, "long-window"))!;
    expect(stored).toMatchObject({ testStatus: "completed", loadableLimit: 65_536, effectiveLimit: null });
    const finished = events.find((event) => event.type === "model.finished");
    expect(String(finished?.payload.effectiveReason)).toMatch(/even at 2,048 tokens/);
  });

  it("resumes an interrupted effective search without repeating a finished probe", async () => {
    const runtime = new SimulatedRuntime({ models: [model()], memoryBytes: 16 * GiB });
    const run = await createRun({ effective: true });
    let filledDone = 0;
    const first = await execute(store, runtime, run.id, (type, payload) => {
      if (type === "probe.finished" && payload.kind === "effective") filledDone += 1;
      return filledDone === 2;
    });
    expect(first.result.status).toBe("cancelled");
    expect((await store.getModel(1, "long-window"))?.testStatus).toBe("testing");
    const second = await execute(store, runtime, run.id);
    expect(second.result.status).toBe("completed");
    const stored = (await store.getModel(1, "long-window"))!;
    expect(stored.testStatus).toBe("completed");
    expect(stored.effectiveLimit).toBeLessThanOrEqual(20_000);
    expect(stored.effectiveLimit).toBeGreaterThanOrEqual(20_000 - 256);
    const probes = await store.listRunProbes(run.id);
    for (const kind of ["loadable", "effective"] as const) {
      const sizes = probes.filter((probe) => probe.kind === kind).map((probe) => probe.contextRequested);
      expect(new Set(sizes).size, kind).toBe(sizes.length);
    }
    expect(probes.every((probe) => probe.outcome !== null)).toBe(true);
  });
});
