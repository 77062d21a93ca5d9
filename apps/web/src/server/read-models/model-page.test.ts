import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type RunOptionsInput, runOptionsSchema } from "@lmstrix/core";
import { type Database, openDatabase, PrismaStore } from "@lmstrix/db";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readModelPage } from "./model-page";

let dir: string;
let db: Database;
let store: PrismaStore;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "lmstrix-web-model-page-"));
  db = await openDatabase({ dataDir: dir });
  store = new PrismaStore(db.prisma);
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function hostWithModels(keys: string[]) {
  const host = await store.ensureHost("lab", "ws://127.0.0.1:1");
  await store.syncModels(
    host.id,
    keys.map((modelKey) => ({
      modelKey,
      displayName: modelKey,
      type: "llm" as const,
      format: "gguf",
      publisher: null,
      path: `${modelKey}.gguf`,
      sizeBytes: 1_000,
      architecture: null,
      quantization: null,
      params: null,
      declaredContext: 32_768,
      vision: false,
      toolUse: false,
    })),
    new Date(),
  );
  return host;
}

/** A finished run that probed `modelKeys` (one filled probe each) and wrote their `model.finished` events. */
async function runOf(
  hostId: number,
  options: RunOptionsInput,
  finished: {
    modelKey: string;
    effectiveLimit?: number | null;
    effectiveRange?: { low: number; high: number };
  }[],
) {
  const run = await store.createRun({
    hostId,
    mode: "single",
    options: runOptionsSchema.parse(options),
    startedBy: "cli",
  });
  for (const { modelKey, ...effective } of finished) {
    const model = (await store.getModel(hostId, modelKey))!;
    const probe = await store.startProbe({
      runId: run.id,
      modelId: model.id,
      contextRequested: 8_192,
      kind: "effective",
    });
    await store.finishProbe(probe.id, {
      outcome: "pass",
      attempts: 1,
      contextApplied: 8_192,
      errorCategory: null,
      errorMessage: null,
      prompt: null,
      reply: null,
      loadMs: null,
      timeToFirstTokenMs: null,
      promptTokens: null,
      promptTokensPerSec: null,
      genTokensPerSec: null,
      recall: 0.5,
      needles: [
        { depth: 0, recalled: true, isCanary: true },
        { depth: 1, recalled: false, isCanary: true },
      ],
    });
    await store.appendEvent(run.id, "model.finished", {
      modelKey,
      status: "completed",
      limit: 32_768,
      declared: 32_768,
      reason: null,
      errorCategory: null,
      ...effective,
    });
  }
  return run;
}

describe("readModelPage", () => {
  it("lists every run's effective limit of the model with its range and threshold, and the probes' needles", async () => {
    const host = await hostWithModels(["a", "b"]);
    const first = await runOf(host.id, { effective: true, recallThreshold: 0.8 }, [
      { modelKey: "a", effectiveLimit: 12_000, effectiveRange: { low: 12_000, high: 13_000 } },
      { modelKey: "b", effectiveLimit: 4_000 },
    ]);
    // A run without the effective check writes no effective limit: it is not one of the measurements.
    const loadableOnly = await runOf(host.id, {}, [{ modelKey: "a" }]);
    const second = await runOf(host.id, { effective: true, recallThreshold: 0.9 }, [
      { modelKey: "a", effectiveLimit: null },
    ]);
    const model = (await store.getModel(host.id, "a"))!;

    const page = (await readModelPage(db, model.id))!;
    expect(page.effectiveRuns).toEqual([
      {
        runId: first.id,
        effectiveLimit: 12_000,
        effectiveRange: { low: 12_000, high: 13_000 },
        recallThreshold: 0.8,
        finishedAt: expect.any(Date),
      },
      {
        runId: second.id,
        effectiveLimit: null,
        effectiveRange: null,
        recallThreshold: 0.9,
        finishedAt: expect.any(Date),
      },
    ]);
    expect(page.runs.map((run) => [run.id, run.recallThreshold])).toEqual([
      [second.id, 0.9],
      [loadableOnly.id, null],
      [first.id, 0.8],
    ]);
    expect(page.probes[0]?.needles).toEqual([
      { depth: 0, recalled: true, isCanary: true },
      { depth: 1, recalled: false, isCanary: true },
    ]);
    expect(page.probes[0]).not.toHaveProperty("needlesJson");
  });
});
