import { runOptionsSchema } from "@lmstrix/core";
import { expect, it } from "vitest";
import { hostWithModels, tempStore } from "../../../test/support/temp-store";
import { readModelComparison } from "./model-comparison";
import { PROBE_HISTORY_LIMIT } from "./model-page";

const temp = tempStore("model-comparison");

async function modelOn(hostName: string, modelKey: string) {
  const { store } = temp;
  const host = await hostWithModels(store, hostName, [modelKey], { quantization: "Q4_K_M" });
  const model = (await store.getModel(host.id, modelKey))!;
  const run = await store.createRun({
    hostId: host.id,
    mode: "single",
    options: runOptionsSchema.parse({}),
    startedBy: "cli",
  });
  return { host, model, run };
}

/** `count` passing probes a second apart, the newest at `newest`. */
async function probesOf(target: Awaited<ReturnType<typeof modelOn>>, count: number, newest: number) {
  await temp.db.prisma.probe.createMany({
    data: Array.from({ length: count }, (_, index) => ({
      runId: target.run.id,
      modelId: target.model.id,
      contextRequested: 1_024 + index,
      outcome: "pass",
      startedAt: new Date(newest - (count - 1 - index) * 1_000),
    })),
  });
}

it("gives each model its own newest probes, however many another model has", async () => {
  const busy = await modelOn("lab-a", "busy");
  const quiet = await modelOn("lab-b", "quiet");
  await probesOf(busy, PROBE_HISTORY_LIMIT + 5, Date.UTC(2026, 0, 2));
  await probesOf(quiet, 3, Date.UTC(2026, 0, 1));

  const { models, missingIds } = await readModelComparison(temp.db, [quiet.model.id, busy.model.id, 9_999]);
  expect(missingIds).toEqual([9_999]);
  expect(models.map((model) => [model.modelKey, model.host.name, model.quantization])).toEqual([
    ["quiet", "lab-b", "Q4_K_M"],
    ["busy", "lab-a", "Q4_K_M"],
  ]);
  const [quietRead, busyRead] = models;
  expect(quietRead!.probes.map((probe) => probe.contextRequested)).toEqual([1_024, 1_025, 1_026]);
  expect(quietRead!.probeTotal).toBe(3);
  // The newest PROBE_HISTORY_LIMIT, oldest first: the five oldest are left out.
  expect(busyRead!.probes).toHaveLength(PROBE_HISTORY_LIMIT);
  expect(busyRead!.probes[0]!.contextRequested).toBe(1_024 + 5);
  expect(busyRead!.probes.at(-1)!.contextRequested).toBe(1_024 + PROBE_HISTORY_LIMIT + 4);
  expect(busyRead!.probeTotal).toBe(PROBE_HISTORY_LIMIT + 5);
});

it("reads a model without probes as having none", async () => {
  const a = await modelOn("lab-a", "a");
  const b = await modelOn("lab-b", "b");
  const { models } = await readModelComparison(temp.db, [a.model.id, b.model.id]);
  expect(models.map((model) => [model.probes.length, model.probeTotal])).toEqual([
    [0, 0],
    [0, 0],
  ]);
});
