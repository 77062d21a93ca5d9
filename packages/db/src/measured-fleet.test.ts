import { type ProbeResult, runOptionsSchema } from "@lmstrix/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTempDatabase } from "../test/support/temp-database";
import { readFits, readMatrix, readMeasuredFleet } from "./measured-fleet";
import { PrismaStore } from "./prisma-store";

let db: Awaited<ReturnType<typeof openTempDatabase>>;
let store: PrismaStore;

beforeEach(async () => {
  db = await openTempDatabase();
  store = new PrismaStore(db.prisma);
});
afterEach(() => db.dispose());

function downloaded(modelKey: string, quantization: string) {
  return {
    modelKey,
    displayName: modelKey,
    type: "llm" as const,
    format: "gguf" as const,
    publisher: null,
    path: `${modelKey}.gguf`,
    sizeBytes: 5_000_000_000,
    architecture: "qwen3",
    quantization,
    params: "8B",
    declaredContext: 131_072,
    vision: false,
    toolUse: false,
  };
}

const PASS: ProbeResult = {
  outcome: "pass",
  attempts: 1,
  contextApplied: null,
  errorCategory: null,
  errorMessage: null,
  prompt: null,
  reply: null,
  loadMs: 1_000,
  timeToFirstTokenMs: 500,
  promptTokens: 30,
  promptTokensPerSec: 400,
  genTokensPerSec: null,
};

async function probe(
  runId: number,
  modelId: number,
  context: number,
  result: Partial<ProbeResult>,
  kind: "loadable" | "effective" = "loadable",
) {
  const started = await store.startProbe({ runId, modelId, contextRequested: context, kind });
  await store.finishProbe(started.id, { ...PASS, ...result });
}

describe("the measured fleet", () => {
  it("reads every host's present models and the probe speeds core's rules can pick", async () => {
    const alpha = await store.ensureHost("alpha", "ws://127.0.0.1:1234");
    const beta = await store.ensureHost("beta", "ws://127.0.0.1:1235");
    await store.syncModels(alpha.id, [downloaded("qwen/qwen3-8b", "Q4_K_M")], new Date());
    await store.syncModels(
      beta.id,
      [downloaded("qwen3-8b", "Q4_K_M"), downloaded("gone", "Q8_0")],
      new Date(),
    );
    await store.syncModels(beta.id, [downloaded("qwen3-8b", "Q4_K_M")], new Date());
    await db.prisma.host.update({ where: { id: beta.id }, data: { lmStudioVersion: "0.4.21" } });
    const onAlpha = (await store.getModel(alpha.id, "qwen/qwen3-8b"))!;
    const onBeta = (await store.getModel(beta.id, "qwen3-8b"))!;
    const run = await store.createRun({
      hostId: alpha.id,
      mode: "single",
      options: runOptionsSchema.parse({ modelKeys: ["qwen/qwen3-8b"] }),
      startedBy: "cli",
    });
    await probe(run.id, onAlpha.id, 32_768, { genTokensPerSec: 30 });
    await probe(run.id, onAlpha.id, 32_768, { genTokensPerSec: 28 });
    await probe(run.id, onAlpha.id, 65_536, { outcome: "fail", genTokensPerSec: 99 });
    await probe(run.id, onAlpha.id, 48_000, { contextApplied: 40_000, genTokensPerSec: 20 });
    await probe(run.id, onAlpha.id, 40_000, { genTokensPerSec: 15 }, "effective");
    await probe(run.id, onAlpha.id, 64_000, { genTokensPerSec: 5 }, "effective");
    await store.updateModelSummary(onAlpha.id, { loadableLimit: 40_000, testStatus: "completed" });
    await db.prisma.model.update({
      where: { id: onAlpha.id },
      data: {
        measuredLmStudioVersion: "0.3.20",
        modifiedAt: new Date("2026-12-02T08:00:00.000Z"),
        measuredModifiedAt: new Date("2026-12-01T08:00:00.000Z"),
      },
    });

    const fleet = await readMeasuredFleet(db.prisma, { kind: "at-limit" });
    expect(fleet.hosts.map((host) => [host.name, host.lmStudioVersion])).toEqual([
      ["alpha", null],
      ["beta", "0.4.21"],
    ]);
    expect(fleet.models.map((model) => model.modelKey).sort()).toEqual(["qwen/qwen3-8b", "qwen3-8b"]);
    // Per kind, the largest window at or below the limit (40,000), the latest probe there.
    expect(fleet.speeds.sort((a, b) => a.kind.localeCompare(b.kind))).toEqual([
      { modelId: onAlpha.id, context: 40_000, kind: "effective", genTokensPerSec: 15 },
      { modelId: onAlpha.id, context: 40_000, kind: "loadable", genTokensPerSec: 20 },
    ]);
    const nearest = await readMeasuredFleet(db.prisma, { kind: "for-request", tokens: 30_000 });
    expect(nearest.speeds.sort((a, b) => a.kind.localeCompare(b.kind))).toEqual([
      { modelId: onAlpha.id, context: 40_000, kind: "effective", genTokensPerSec: 15 },
      { modelId: onAlpha.id, context: 32_768, kind: "loadable", genTokensPerSec: 28 },
    ]);

    expect(fleet.models.find((model) => model.id === onAlpha.id)).toMatchObject({
      modifiedAt: new Date("2026-12-02T08:00:00.000Z"),
      measuredModifiedAt: new Date("2026-12-01T08:00:00.000Z"),
      sizeBytes: 5_000_000_000,
      measuredSizeBytes: null,
    });

    const matrix = await readMatrix(db.prisma);
    expect(matrix.groups).toHaveLength(1);
    // At one window the filled check's speed counts.
    expect(matrix.groups[0]?.rows[0]?.cells).toMatchObject([
      {
        modelId: onAlpha.id,
        loadableLimit: 40_000,
        genTokensPerSec: 15,
        speedContext: 40_000,
        untested: false,
      },
      { modelId: onBeta.id, untested: true },
    ]);
    expect(matrix.groups[0]?.rows[0]?.cells[0]?.stale).toEqual([
      "model file modified 2026-12-02 (measured on the file of 2026-12-01)",
    ]);
    expect(await readFits(db.prisma, { tokens: 33_000, minTokensPerSec: 16 })).toEqual([]);
    const fits = await readFits(db.prisma, { tokens: 30_000, minTokensPerSec: 15 });
    expect(fits.map((fit) => [fit.modelKey, fit.speedContext, fit.speedKind])).toEqual([
      ["qwen/qwen3-8b", 40_000, "filled"],
    ]);
  });

  it("serves the smaller limit when an earlier effective limit lies above a loadable limit measured since", async () => {
    const host = await store.ensureHost("alpha", "ws://127.0.0.1:1234");
    await store.syncModels(host.id, [downloaded("qwen/qwen3-8b", "Q4_K_M")], new Date());
    const model = (await store.getModel(host.id, "qwen/qwen3-8b"))!;
    const run = await store.createRun({
      hostId: host.id,
      mode: "single",
      options: runOptionsSchema.parse({ modelKeys: ["qwen/qwen3-8b"] }),
      startedBy: "cli",
    });
    await probe(run.id, model.id, 32_768, { genTokensPerSec: 30 }, "effective");
    await probe(run.id, model.id, 64_000, { genTokensPerSec: 5 }, "effective");
    // Measured at 64,000 on a bigger machine; this one loads 40,000 since.
    await store.updateModelSummary(model.id, {
      loadableLimit: 40_000,
      effectiveLimit: 64_000,
      testStatus: "completed",
    });
    const fleet = await readMeasuredFleet(db.prisma, { kind: "at-limit" });
    expect(fleet.speeds).toEqual([
      { modelId: model.id, context: 32_768, kind: "effective", genTokensPerSec: 30 },
    ]);
    expect(await readFits(db.prisma, { tokens: 50_000 })).toEqual([]);
  });

  it("serves nothing of a model whose effective search found no limit, and reads no speed for it", async () => {
    const host = await store.ensureHost("alpha", "ws://127.0.0.1:1234");
    await store.syncModels(
      host.id,
      [downloaded("forgetful", "Q4_K_M"), downloaded("never-searched", "Q4_K_M")],
      new Date(),
    );
    const forgetful = (await store.getModel(host.id, "forgetful"))!;
    const plain = (await store.getModel(host.id, "never-searched"))!;
    const run = await store.createRun({
      hostId: host.id,
      mode: "all",
      options: runOptionsSchema.parse({}),
      startedBy: "cli",
    });
    for (const model of [forgetful, plain]) await probe(run.id, model.id, 40_000, { genTokensPerSec: 20 });
    await store.updateModelSummary(forgetful.id, {
      loadableLimit: 40_000,
      effectiveThreshold: 0.856,
      testStatus: "completed",
    });
    await store.updateModelSummary(plain.id, { loadableLimit: 40_000, testStatus: "completed" });
    const fleet = await readMeasuredFleet(db.prisma, { kind: "at-limit" });
    expect(fleet.speeds.map((speed) => speed.modelId)).toEqual([plain.id]);
    expect(fleet.models.find((model) => model.id === forgetful.id)?.effectiveThreshold).toBe(0.856);
    expect((await readFits(db.prisma, { tokens: 4_096 })).map((fit) => fit.modelKey)).toEqual([
      "never-searched",
    ]);
    const cells = (await readMatrix(db.prisma)).groups.flatMap((group) =>
      group.rows.map((row) => row.cells[0]),
    );
    expect(cells.find((cell) => cell?.modelKey === "forgetful")).toMatchObject({ noEffectiveLimitAt: 0.856 });
  });
});
