import type { ModelSummary, ProbeRecord } from "@lmstrix/core";
import { type FleetInput, hiddenLoadableLimit, parseFleet } from "@lmstrix/lmstudio-emulator";
import { beforeAll, describe, expect, it } from "vitest";
import { runInProcess } from "./support/cli";
import { useEmulatorHost } from "./support/emulator-host";
import { embedding, GiB, llm } from "./support/fleet";
import { openStore } from "./support/store";

/** Twelve models, one per fault LM Studio throws at lmstrix (memory limit of a plain one: 106,496). */
const FLEET: FleetInput = {
  memoryBytes: 8 * GiB,
  models: [
    llm("healthy"),
    llm("cache-null", { faults: ["memoryCacheNull"] }),
    llm("unload-not-found", { maxContextLength: 8_192, faults: ["notFoundOnUnload"] }),
    llm("crashes", { maxContextLength: 32_768, faults: [{ crashAbove: 20_000 }] }),
    llm("load-fails", { maxContextLength: 32_768, faults: [{ loadFailsAbove: 15_000 }] }),
    llm("hangs", { maxContextLength: 12_288, faults: [{ hangAbove: 10_000 }] }),
    llm("silent-reduce", { maxContextLength: 32_768, faults: [{ silentReduce: 9_000 }] }),
    llm("slow", { maxContextLength: 16_384, faults: ["slowPrediction"] }),
    llm("drops", { maxContextLength: 32_768, faults: [{ disconnectAfterLoads: 2 }] }),
    embedding("embedder"),
    llm("too-big", { sizeBytes: 8 * GiB }),
    llm("tiny-window", { maxContextLength: 8 }),
  ],
};
const fleet = parseFleet(FLEET);
/** The largest context that loads and answers: memory and load faults, and crashes at or above `crashAbove`. */
function truth(key: string): number {
  const model = fleet.models.find((candidate) => candidate.modelKey === key)!;
  const crash = model.faults.find((fault) => typeof fault === "object" && "crashAbove" in fault);
  const byLoad = hiddenLoadableLimit(model, fleet.memoryBytes);
  return crash && "crashAbove" in crash ? Math.min(byLoad, crash.crashAbove - 1) : byLoad;
}

describe("lmstrix test --all on a fleet with every fault", () => {
  const lmStudio = useEmulatorHost({ fleet: FLEET, timeScale: 0.001, seed: 3 });
  let exitCode: number;
  let report: { run: { id: number; status: string }; results: { modelKey: string; status: string }[] };
  let models: Map<string, ModelSummary>;
  let probes: (ProbeRecord & { modelKey: string })[];
  let warnings: string[];

  beforeAll(async () => {
    // A hung load is given up after 300 ms (loads here take ~2 ms), then retried twice.
    const env = lmStudio.env({ LMSTRIX_LOAD_TIMEOUT_MS: "300" });
    const result = await runInProcess(["test", "--all", "--cooldown", "0", "--json"], env);
    exitCode = result.code;
    report = JSON.parse(result.stdout);
    const { store, close } = await openStore(lmStudio.dataDir);
    try {
      models = new Map((await store.listModels({})).map((model) => [model.modelKey, model]));
      const keyOf = new Map([...models.values()].map((model) => [model.id, model.modelKey]));
      probes = (await store.listRunProbes(report.run.id)).map((p) => ({
        ...p,
        modelKey: keyOf.get(p.modelId)!,
      }));
      const events = await store.listEventsAfter(report.run.id, 0, 100_000);
      warnings = events.filter((e) => e.type === "warning").map((e) => String(e.payload.message));
    } finally {
      await close();
    }
  }, 90_000);

  const categories = (key: string) =>
    new Set(probes.filter((p) => p.modelKey === key).map((p) => p.errorCategory));

  it("completes the run; a failed model makes the exit code 1", () => {
    expect(report.run.status).toBe("completed");
    expect(exitCode).toBe(1);
  });

  it("leaves every LLM completed or failed (none at testing), skips the embedding model by its type", () => {
    for (const model of models.values()) {
      if (model.type === "embedding") expect(model.testStatus).toBe("untested");
      else expect(["completed", "failed"]).toContain(model.testStatus);
    }
    expect(probes.some((p) => p.modelKey === "embedder")).toBe(false);
    expect(probes.every((p) => p.outcome !== null && p.finishedAt !== null)).toBe(true);
    expect(report.results).toHaveLength(11);
  });

  it("orders the batch by size, then declared context", () => {
    const firstProbe = [...new Set(probes.map((p) => p.modelKey))];
    expect(firstProbe.at(-1)).toBe("too-big");
    expect(firstProbe[0]).toBe("tiny-window");
  });

  it("classifies every failure by category", () => {
    expect(models.get("cache-null")).toMatchObject({
      testStatus: "failed",
      errorCategory: "MEMORY_CACHE_CORRUPTED",
    });
    // A corrupted cache fails the model at once: one probe, no retry.
    expect(probes.filter((p) => p.modelKey === "cache-null")).toHaveLength(1);
    expect(models.get("too-big")).toMatchObject({
      testStatus: "failed",
      errorCategory: "INSUFFICIENT_RESOURCES",
    });
    expect(models.get("tiny-window")).toMatchObject({
      testStatus: "failed",
      errorCategory: "CONTEXT_OVERFLOW",
    });
    expect(categories("crashes")).toContain("MODEL_CRASHED");
    expect(categories("load-fails")).toContain("LOAD_FAILED");
    expect(categories("healthy")).toContain("INSUFFICIENT_RESOURCES");
    // Timeouts are retried twice inside the same probe row, then the size fails.
    const timedOut = probes.filter((p) => p.modelKey === "hangs" && p.errorCategory === "TIMEOUT");
    expect(timedOut.length).toBeGreaterThan(0);
    expect(timedOut.every((p) => p.attempts === 3 && p.outcome === "fail")).toBe(true);
    expect(warnings.some((w) => w.startsWith("Lost LM Studio"))).toBe(true);
    expect(lmStudio.emulator.state.counters.disconnects).toBe(1);
  });

  it("finds every limit within the precision and never above the truth", () => {
    for (const key of ["healthy", "crashes", "load-fails", "hangs", "drops", "slow", "unload-not-found"]) {
      const model = models.get(key)!;
      const limit = model.loadableLimit!;
      const declared = model.declaredContext;
      expect(model.testStatus, key).toBe("completed");
      expect(limit, key).toBeLessThanOrEqual(Math.min(truth(key), declared));
      if (truth(key) >= declared) expect(limit, key).toBe(declared);
      else expect(truth(key) - limit, key).toBeLessThanOrEqual(Math.max(256, Math.ceil(truth(key) / 99)));
    }
  });

  it("never credits a silently reduced model above what LM Studio applied", () => {
    const model = models.get("silent-reduce")!;
    expect(model).toMatchObject({ testStatus: "completed", loadableLimit: 9_000 });
    const reduced = probes.filter((p) => p.modelKey === "silent-reduce" && p.contextRequested > 9_000);
    expect(reduced.length).toBeGreaterThan(0);
    expect(reduced.every((p) => p.contextApplied === 9_000)).toBe(true);
  });

  it("has no two finished probes for the same model and size, and leaves nothing loaded", () => {
    const seen = new Set(probes.map((p) => `${p.modelId}:${p.contextRequested}`));
    expect(seen.size).toBe(probes.length);
    expect(lmStudio.emulator.state.loaded).toEqual([]);
    expect(lmStudio.emulator.state.counters.maxConcurrentLoads).toBe(1);
  });
});
