import { type RunOptionsInput, runOptionsSchema } from "@lmstrix/core";
import { describe, expect, it } from "vitest";
import { hostWithModels, tempStore } from "../../../test/support/temp-store";
import { readModelPage } from "./model-page";

const temp = tempStore("model-page");

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
  const run = await temp.store.createRun({
    hostId,
    mode: "single",
    options: runOptionsSchema.parse(options),
    startedBy: "cli",
  });
  for (const { modelKey, ...effective } of finished) {
    const model = (await temp.store.getModel(hostId, modelKey))!;
    const probe = await temp.store.startProbe({
      runId: run.id,
      modelId: model.id,
      contextRequested: 8_192,
      kind: "effective",
    });
    await temp.store.finishProbe(probe.id, {
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
    await temp.store.appendEvent(run.id, "model.finished", {
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
    const host = await hostWithModels(temp.store, "lab", ["a", "b"]);
    const first = await runOf(host.id, { effective: true, recallThreshold: 0.8 }, [
      { modelKey: "a", effectiveLimit: 12_000, effectiveRange: { low: 12_000, high: 13_000 } },
      { modelKey: "b", effectiveLimit: 4_000 },
    ]);
    // A run without the effective check writes no effective limit: it is not one of the measurements.
    const loadableOnly = await runOf(host.id, {}, [{ modelKey: "a" }]);
    const second = await runOf(host.id, { effective: true, recallThreshold: 0.9 }, [
      { modelKey: "a", effectiveLimit: null },
    ]);
    const model = (await temp.store.getModel(host.id, "a"))!;

    const page = (await readModelPage(temp.db, model.id))!;
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
