import { limitsReport, runOptionsSchema } from "@lmstrix/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTempDatabase } from "../test/support/temp-database";
import { PrismaStore } from "./prisma-store";

let db: Awaited<ReturnType<typeof openTempDatabase>>;
let store: PrismaStore;

beforeEach(async () => {
  db = await openTempDatabase();
  store = new PrismaStore(db.prisma);
});
afterEach(() => db.dispose());

const MODEL = {
  modelKey: "qwen3-8b",
  displayName: "Qwen3 8B",
  type: "llm" as const,
  format: "gguf" as const,
  publisher: "qwen",
  path: "qwen/qwen3-8b.gguf",
  sizeBytes: 5_000_000_000,
  architecture: "qwen3",
  quantization: "Q4_K_M",
  params: "8B",
  declaredContext: 131_072,
  vision: false,
  toolUse: true,
};

async function measuredModel(version: string | null) {
  const host = await store.ensureHost("gpu-box", "ws://10.0.0.5:1234", "/home/me/.lmstudio");
  await store.syncModels(host.id, [MODEL], new Date());
  const model = (await store.getModel(host.id, MODEL.modelKey))!;
  const run = await store.createRun({
    hostId: host.id,
    mode: "single",
    options: runOptionsSchema.parse({ modelKeys: [MODEL.modelKey] }),
    startedBy: "cli",
  });
  if (version !== null) await store.setRunLmStudioVersion(run.id, version);
  const probe = await store.startProbe({
    runId: run.id,
    modelId: model.id,
    contextRequested: 32_768,
    kind: "loadable",
  });
  await store.finishProbe(probe.id, {
    outcome: "pass",
    attempts: 1,
    contextApplied: 32_768,
    errorCategory: null,
    errorMessage: null,
    prompt: null,
    reply: null,
    loadMs: 2_000,
    timeToFirstTokenMs: 3_000,
    promptTokens: 30,
    promptTokensPerSec: 500,
    genTokensPerSec: 25,
  });
  const testedAt = new Date("2026-12-01T10:00:00.000Z");
  await store.updateModelSummary(model.id, {
    loadableLimit: 32_768,
    lastTestedAt: testedAt,
    testStatus: "completed",
  });
  return { host, model, run };
}

describe("what the measured limits were measured with", () => {
  it("keeps a host's LM Studio home, changes and clears it", async () => {
    const host = await store.ensureHost("gpu-box", "ws://10.0.0.5:1234", "/srv/lmstudio");
    expect(host.lmstudioHome).toBe("/srv/lmstudio");
    expect((await store.updateHost(host.id, { lmstudioHome: "/home/me/.lmstudio" }))?.lmstudioHome).toBe(
      "/home/me/.lmstudio",
    );
    expect((await store.updateHost(host.id, { lmstudioHome: null }))?.lmstudioHome).toBeNull();
    expect((await store.ensureHost("other", "ws://10.0.0.6:1234")).lmstudioHome).toBeNull();
  });

  it("keeps each run's LM Studio version and lists a model's probes", async () => {
    const { model, run } = await measuredModel("0.3.31");
    expect((await store.getRun(run.id))?.lmStudioVersion).toBe("0.3.31");
    const probes = await store.listModelProbes(model.id);
    expect(probes.map((probe) => [probe.runId, probe.contextApplied, probe.outcome])).toEqual([
      [run.id, 32_768, "pass"],
    ]);
  });

  it("reports per host and model key the limits, with when and under which LM Studio they were measured", async () => {
    const { run } = await measuredModel("0.3.31");
    const report = await limitsReport(store, { now: new Date("2026-12-02T00:00:00.000Z") });
    expect(report).toEqual({
      format: "lmstrix-limits",
      version: 1,
      generatedAt: "2026-12-02T00:00:00.000Z",
      comfortableThresholds: { minGenTokensPerSec: 10, maxTtftSec: 30 },
      hosts: {
        "gpu-box": {
          url: "ws://10.0.0.5:1234",
          models: {
            "qwen3-8b": {
              loadable: 32_768,
              effective: null,
              effectiveRecallThreshold: null,
              comfortable: 32_768,
              measuredAt: "2026-12-01T10:00:00.000Z",
              lmStudioVersion: "0.3.31",
              runId: run.id,
            },
          },
        },
      },
    });
  });

  it("says null for the version of runs that did not keep it", async () => {
    await measuredModel(null);
    const report = await limitsReport(store);
    expect(report.hosts["gpu-box"]?.models["qwen3-8b"]?.lmStudioVersion).toBeNull();
  });
});
