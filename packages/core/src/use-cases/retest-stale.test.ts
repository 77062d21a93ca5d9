import { describe, expect, it } from "vitest";
import type { Host } from "../domain/host";
import type { ModelSummary } from "../domain/model";
import type { RunRecord, Store } from "../ports/store";
import { nothingStaleMessage, retestStale, staleModels } from "./retest-stale";

function host(id: number, lmStudioVersion: string | null, enabled = true): Host {
  return {
    id,
    name: `gpu-${id}`,
    url: `ws://10.0.0.${id}:1234`,
    enabled,
    lmstudioHome: null,
    lmStudioVersion,
  };
}

function model(hostId: number, modelKey: string, patch: Partial<ModelSummary> = {}): ModelSummary {
  return {
    id: Math.floor(Math.random() * 1e6),
    hostId,
    modelKey,
    type: "llm",
    isPresent: true,
    testStatus: "completed",
    sizeBytes: 4_000_000_000,
    modifiedAt: null,
    loadableLimit: 60_000,
    effectiveLimit: null,
    measuredLmStudioVersion: "0.3.20",
    measuredSizeBytes: 4_000_000_000,
    measuredModifiedAt: null,
    ...patch,
  } as ModelSummary;
}

/** The store's run and model side, in memory: what `retestStale` reads and queues. */
function memoryStore(models: ModelSummary[]) {
  const runs: RunRecord[] = [];
  const store: Pick<Store, "listModels" | "createRun" | "createRunUnlessPending" | "appendEvent"> = {
    listModels: async (filter) => models.filter((candidate) => candidate.hostId === filter?.hostId),
    createRun: async (input) => {
      const run = { ...input, id: runs.length + 1, status: "queued" } as RunRecord;
      runs.push(run);
      return run;
    },
    createRunUnlessPending: async () => {
      throw new Error("a re-test names its models: no test-all twin check");
    },
    appendEvent: async (runId, type, payload) => ({ id: 1, runId, type, payload, createdAt: new Date() }),
  };
  return { store, runs };
}

describe("re-testing stale models", () => {
  it("queues one run per host over that host's stale models only", async () => {
    const models = [
      model(1, "qwen/qwen3-8b"),
      model(1, "google/gemma-3-4b", { measuredLmStudioVersion: "0.4.21" }),
      model(1, "meta/llama-3-8b", { testStatus: "untested", measuredLmStudioVersion: null }),
      model(1, "nomic/embed", { type: "embedding" }),
      model(2, "qwen/qwen3-8b", { measuredSizeBytes: 3_000_000_000, measuredLmStudioVersion: "0.4.21" }),
      model(3, "qwen/qwen3-8b"),
    ];
    const { store, runs } = memoryStore(models);
    const queued = await retestStale(
      store,
      [host(1, "0.4.21"), host(2, "0.4.21"), host(3, "0.3.20")],
      "alice",
    );
    expect(queued).toEqual([
      { hostId: 1, hostName: "gpu-1", runId: 1, modelKeys: ["qwen/qwen3-8b"] },
      { hostId: 2, hostName: "gpu-2", runId: 2, modelKeys: ["qwen/qwen3-8b"] },
    ]);
    expect(runs.map((run) => [run.hostId, run.mode, run.options.force, run.startedBy])).toEqual([
      [1, "single", true, "alice"],
      [2, "single", true, "alice"],
    ]);
  });

  it("measures the effective context again when a stale model had one", async () => {
    const { store, runs } = memoryStore([model(1, "a"), model(1, "b", { effectiveLimit: 32_000 })]);
    await retestStale(store, [host(1, "0.4.21")], "cli");
    expect(runs[0]?.options.effective).toBe(true);
    expect(runs[0]?.options.modelKeys).toEqual(["a", "b"]);
  });

  it("queues nothing when nothing is stale, nor on a switched-off host", async () => {
    const { store, runs } = memoryStore([model(1, "a"), model(2, "a")]);
    expect(await retestStale(store, [host(1, "0.3.20"), host(2, "0.4.21", false)], "cli")).toEqual([]);
    expect(runs).toEqual([]);
    expect(nothingStaleMessage("gpu-1")).toMatch(/^Nothing is stale on gpu-1/);
  });

  it("tells why a model is stale", () => {
    const [stale] = staleModels([model(1, "a")], host(1, "0.4.21"));
    expect(stale?.reasons).toEqual([{ kind: "lmstudio-version", measured: "0.3.20", current: "0.4.21" }]);
  });
});
