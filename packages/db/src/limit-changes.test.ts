import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { retestStale, runOptionsSchema, staleModels } from "@lmstrix/core";
import { SimulatedRuntime } from "@lmstrix/core/testing";
import { describe, expect, it } from "vitest";
import { executeOnStore, GiB, queueRun, SMALL_MODEL, useTempStore } from "../test/support/engine-harness";
import type { HistoryExport } from "./history-export";
import { listLimitChanges } from "./limit-changes";
import { exportRegistry } from "./registry-export";

/** A simulated host that says it runs LM Studio `version`, with `memoryBytes` for its loads. */
function hostRunning(version: string, memoryBytes: number) {
  const runtime = new SimulatedRuntime({ models: [SMALL_MODEL], memoryBytes });
  runtime.version = async () => ({ version, build: null });
  return runtime;
}

describe("what a measurement was taken under, and the changes re-tests find (real SQLite)", () => {
  const temp = useTempStore();

  /** Tests "small" under LM Studio 0.3.20 with room for its whole window: a limit of 8,192. */
  async function measuredUnder0320() {
    const { store } = temp;
    const { host, run } = await queueRun(temp.store, { modelKeys: [SMALL_MODEL.modelKey] });
    await store.setRunStatus(run.id, "running");
    await executeOnStore(store, hostRunning("0.3.20", 8 * GiB), run.id);
    return { host, run, model: (await store.getModel(host.id, SMALL_MODEL.modelKey))! };
  }

  it("keeps the LM Studio version and file size on the host, every probe and the finished model", async () => {
    const { host, run, model } = await measuredUnder0320();
    const { store } = temp;
    expect((await store.getHost(host.id))?.lmStudioVersion).toBe("0.3.20");
    expect(model).toMatchObject({
      testStatus: "completed",
      loadableLimit: 8_192,
      measuredLmStudioVersion: "0.3.20",
      measuredSizeBytes: GiB,
      measuredModifiedAt: null,
    });
    const probes = await store.listRunProbes(run.id);
    expect(probes.length).toBeGreaterThan(0);
    const rows = await temp.prisma.probe.findMany({ where: { runId: run.id } });
    expect(rows.map((row) => [row.lmStudioVersion, row.modelSizeBytes])).toEqual(
      rows.map(() => ["0.3.20", GiB]),
    );
    // Measured under what the host runs now: nothing to re-test.
    expect(staleModels(await store.listModels({ hostId: host.id }), { lmStudioVersion: "0.3.20" })).toEqual(
      [],
    );
  });

  it("a re-test under another LM Studio that loads less records a regression; the old probes stay", async () => {
    const { host, run: first } = await measuredUnder0320();
    const { store } = temp;
    // A scan sees the host upgraded: the stored result is stale now.
    await store.setHostLmStudioVersion(host.id, "0.4.21");
    const upgraded = (await store.getHost(host.id))!;
    const [stale] = staleModels(await store.listModels({ hostId: host.id }), upgraded);
    expect(stale?.reasons).toEqual([{ kind: "lmstudio-version", measured: "0.3.20", current: "0.4.21" }]);

    const [retest] = await retestStale(store, [upgraded], "test");
    expect(retest?.modelKeys).toEqual([SMALL_MODEL.modelKey]);
    await store.setRunStatus(retest!.runId, "running");
    // Less memory under the new version: 1.5 GiB leaves room for about 4,096 tokens of KV cache.
    const { events } = await executeOnStore(store, hostRunning("0.4.21", 1.5 * GiB), retest!.runId);

    const model = (await store.getModel(host.id, SMALL_MODEL.modelKey))!;
    expect(model.measuredLmStudioVersion).toBe("0.4.21");
    expect(model.loadableLimit).toBeLessThan(8_192);
    const expected = `8,192 → ${model.loadableLimit!.toLocaleString("en-US")} after LM Studio 0.3.20 → 0.4.21`;
    const changed = events.filter((event) => event.type === "model.limitChanged");
    expect(changed.map((event) => event.payload)).toEqual([
      {
        modelKey: SMALL_MODEL.modelKey,
        kind: "loadable",
        from: 8_192,
        to: model.loadableLimit,
        direction: "regression",
        description: expected,
      },
    ]);
    const [change] = await listLimitChanges(temp.prisma);
    expect(change).toMatchObject({
      hostName: "local",
      modelKey: SMALL_MODEL.modelKey,
      runId: retest!.runId,
      kind: "loadable",
      from: 8_192,
      direction: "regression",
      description: expected,
      causes: [{ kind: "lmstudio-version", measured: "0.3.20", current: "0.4.21" }],
    });
    expect(await listLimitChanges(temp.prisma, { direction: "improvement" })).toEqual([]);
    expect(await listLimitChanges(temp.prisma, { hostId: host.id + 1 })).toEqual([]);
    // The earlier measurement is still in the model's history.
    const history = await store.listModelProbes(model.id);
    expect(history.some((probe) => probe.runId === first.id && probe.contextApplied === 8_192)).toBe(true);
    // Measured again under what the host runs: no longer stale.
    expect(staleModels([model], upgraded)).toEqual([]);
    // The history export carries what each measurement was taken under.
    const exported = JSON.parse(await exportRegistry(temp.database, { format: "json" })) as HistoryExport;
    expect(exported.hosts[0]?.lmStudioVersion).toBe("0.4.21");
    expect(exported.models[0]).toMatchObject({ measuredLmStudioVersion: "0.4.21", measuredSizeBytes: GiB });
    const versions = new Set(exported.probes.map((probe) => probe.lmStudioVersion));
    expect(versions).toEqual(new Set(["0.3.20", "0.4.21"]));
  });

  it("a re-test with reset (a scheduled Test all) is compared with the limit from before the reset", async () => {
    const { host } = await measuredUnder0320();
    const { store } = temp;
    const { run } = await queueRun(store, { modelKeys: [SMALL_MODEL.modelKey], reset: true });
    await store.setRunStatus(run.id, "running");
    const { events } = await executeOnStore(store, hostRunning("0.3.20", 1.5 * GiB), run.id);
    const model = (await store.getModel(host.id, SMALL_MODEL.modelKey))!;
    expect(model.loadableLimit).toBeLessThan(8_192);
    const changed = events.filter((event) => event.type === "model.limitChanged");
    expect(changed.map((event) => event.payload)).toMatchObject([
      { kind: "loadable", from: 8_192, to: model.loadableLimit, direction: "regression" },
    ]);
  });

  it("a re-test within the precision of the earlier limit records no change", async () => {
    const { host } = await measuredUnder0320();
    const { store } = temp;
    await store.setHostLmStudioVersion(host.id, "0.4.21");
    const [retest] = await retestStale(store, [(await store.getHost(host.id))!], "test");
    await store.setRunStatus(retest!.runId, "running");
    const { events } = await executeOnStore(store, hostRunning("0.4.21", 8 * GiB), retest!.runId);
    expect(events.some((event) => event.type === "model.limitChanged")).toBe(false);
    expect(await listLimitChanges(temp.prisma)).toEqual([]);
  });

  it("reads the model file's time from the host's LM Studio home; a newer file makes the result stale", async () => {
    const { store } = temp;
    const home = mkdtempSync(path.join(tmpdir(), "lmstrix-home-"));
    try {
      const file = path.join(home, "models", SMALL_MODEL.path);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, "weights");
      const downloaded = new Date("2026-11-02T10:00:00Z");
      utimesSync(file, downloaded, downloaded);
      const host = await store.ensureHost("local", "sim://host", home);
      const runtime = hostRunning("0.4.21", 8 * GiB);
      await store.syncModels(host.id, await runtime.listModels(), new Date());
      expect((await store.getModel(host.id, SMALL_MODEL.modelKey))?.modifiedAt).toEqual(downloaded);

      const [retest] = await retestStale(store, [host], "test");
      expect(retest).toBeUndefined();
      const run = await store.createRun({
        hostId: host.id,
        mode: "single",
        options: runOptionsSchema.parse({ modelKeys: ["small"], cooldownMs: 0 }),
        startedBy: "test",
      });
      await store.setRunStatus(run.id, "running");
      await executeOnStore(store, runtime, run.id);
      const measured = (await store.getModel(host.id, SMALL_MODEL.modelKey))!;
      expect(measured.measuredModifiedAt).toEqual(downloaded);
      const probes = await temp.prisma.probe.findMany({ where: { runId: run.id } });
      expect(probes.every((probe) => probe.modelModifiedAt?.getTime() === downloaded.getTime())).toBe(true);

      // The file downloaded again: the scan sees it changed, and the result is stale until re-tested.
      const redownloaded = new Date("2026-12-01T08:30:00Z");
      utimesSync(file, redownloaded, redownloaded);
      const sync = await store.syncModels(host.id, await runtime.listModels(), new Date());
      expect(sync.changed).toEqual([SMALL_MODEL.modelKey]);
      const [stale] = staleModels(await store.listModels({ hostId: host.id }), { lmStudioVersion: "0.4.21" });
      expect(stale?.reasons).toEqual([
        { kind: "model-modified", measured: downloaded, current: redownloaded },
      ]);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
