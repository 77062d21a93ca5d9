import type { NeedleOutcome } from "@lmstrix/core";
import { type SimulatedModel, SimulatedRuntime } from "@lmstrix/core/testing";
import { describe, expect, it } from "vitest";
import { executeOnStore, GiB, SMALL_MODEL, startRun, useTempStore } from "../test/support/engine-harness";
import { openTempDatabase } from "../test/support/temp-database";
import type { HistoryExport } from "./history-export";
import { PrismaStore } from "./prisma-store";
import { exportStream } from "./registry-export";
import { createSnapshot, restoreSnapshot } from "./snapshots";

const LONG_WINDOW: SimulatedModel = {
  ...SMALL_MODEL,
  modelKey: "long-window",
  path: "test/long-window.gguf",
  declaredContext: 65_536,
  // Prompts of more than 20,000 tokens get a ramble: every needle of them is missed.
  effectiveContext: 20_000,
};

const NEEDLES: NeedleOutcome[] = [
  { depth: 0, recalled: true, isCanary: true },
  { depth: 0.25, recalled: false, isCanary: false },
  { depth: 0.5, recalled: true, isCanary: false },
  { depth: 1, recalled: true, isCanary: true },
];

const recalledShare = (needles: readonly NeedleOutcome[]) =>
  needles.filter((needle) => needle.recalled).length / needles.length;

describe("each filled check keeps its needles (engine, SimulatedRuntime, real store)", () => {
  const temp = useTempStore();

  it("stores every needle's depth and whether it was recalled; short checks have none", async () => {
    const runtime = new SimulatedRuntime({ models: [LONG_WINDOW], memoryBytes: 16 * GiB });
    const { run } = await startRun(temp.store, { modelKeys: ["long-window"], effective: true });
    expect((await executeOnStore(temp.store, runtime, run.id)).result.status).toBe("completed");

    const probes = await temp.store.listRunProbes(run.id);
    const filled = probes.filter((probe) => probe.kind === "effective" && probe.recall !== null);
    expect(filled.length).toBeGreaterThan(1);
    for (const probe of filled) {
      const needles = probe.needles!;
      // One entry per needle asked (one answer expected per needle), canaries at the head and the tail.
      expect(needles).toHaveLength(probe.expectedAnswer!.split("\n").length);
      expect(needles[0]).toMatchObject({ depth: 0, isCanary: true });
      expect(needles.at(-1)).toMatchObject({ depth: 1, isCanary: true });
      for (const needle of needles) expect(needle.depth).toBeGreaterThanOrEqual(0);
      // The probe's recall is the share of its needles recalled.
      expect(recalledShare(needles)).toBeCloseTo(probe.recall!, 10);
    }
    // A check within the window the model recalls has every needle; one beyond it has none.
    expect(filled.some((probe) => probe.needles!.every((needle) => needle.recalled))).toBe(true);
    expect(filled.some((probe) => probe.needles!.every((needle) => !needle.recalled))).toBe(true);
    for (const probe of probes.filter((candidate) => candidate.kind === "loadable")) {
      expect(probe.needles).toBeNull();
    }
  });
});

describe("the needles column", () => {
  async function seedProbe() {
    const db = await openTempDatabase();
    const store = new PrismaStore(db.prisma);
    const host = await store.ensureHost("lab", "ws://127.0.0.1:1234");
    const model = await db.prisma.model.create({
      data: {
        hostId: host.id,
        modelKey: "m",
        displayName: "M",
        type: "llm",
        path: "m.gguf",
        sizeBytes: 1n,
        declaredContext: 8192,
      },
    });
    const run = await db.prisma.run.create({
      data: { hostId: host.id, status: "completed", mode: "single" },
    });
    const started = await store.startProbe({
      runId: run.id,
      modelId: model.id,
      contextRequested: 8192,
      kind: "effective",
    });
    const finished = await store.finishProbe(started.id, {
      outcome: "fail",
      attempts: 1,
      contextApplied: 8192,
      errorCategory: null,
      errorMessage: null,
      prompt: "Filled prompt",
      reply: "…",
      loadMs: 10,
      timeToFirstTokenMs: 5,
      promptTokens: 7900,
      promptTokensPerSec: 900,
      genTokensPerSec: 40,
      recall: 0.75,
      promptTokensSent: 7900,
      isTruncated: false,
      needles: NEEDLES,
    });
    return { db, store, run, probe: finished };
  }

  it("reads back as written, and a probe run again without needles keeps none of the old ones", async () => {
    const { db, store, run, probe } = await seedProbe();
    try {
      expect(probe.needles).toEqual(NEEDLES);
      expect((await store.listRunProbes(run.id))[0]?.needles).toEqual(NEEDLES);
      const again = await store.finishProbe(probe.id, {
        ...probe,
        outcome: "error",
        errorCategory: "MODEL_CRASHED",
        needles: undefined,
      });
      expect(again.needles).toBeNull();
    } finally {
      await db.dispose();
    }
  });

  it("counts a value that is not a list of needles as none (a hand-edited database)", async () => {
    const { db, store, run, probe } = await seedProbe();
    try {
      for (const needlesJson of ["not json", '[{"depth":2,"recalled":true,"isCanary":false}]', "{}"]) {
        await db.prisma.probe.update({ where: { id: probe.id }, data: { needlesJson } });
        const [read] = await store.listRunProbes(run.id);
        expect(read?.needles).toBeNull();
        expect(read?.recall).toBe(0.75);
      }
    } finally {
      await db.dispose();
    }
  });

  it("is in the history export as a list, and a snapshot brings it back", async () => {
    const { db, store, run, probe } = await seedProbe();
    try {
      const chunks: string[] = [];
      for await (const chunk of await exportStream(db, { format: "json" })) chunks.push(chunk);
      const history = JSON.parse(chunks.join("")) as HistoryExport;
      expect(history.probes).toHaveLength(1);
      expect(history.probes[0]?.needles).toEqual(NEEDLES);
      expect(history.probes[0]).not.toHaveProperty("needlesJson");

      const snapshot = await createSnapshot(db, "manual");
      await db.prisma.probe.update({ where: { id: probe.id }, data: { needlesJson: null } });
      await restoreSnapshot(db, snapshot.name);
      expect((await store.listRunProbes(run.id))[0]?.needles).toEqual(NEEDLES);
    } finally {
      await db.dispose();
    }
  });
});
