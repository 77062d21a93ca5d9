import { readdirSync } from "node:fs";
import path from "node:path";
import {
  type ParsedRegistry,
  parseRegistry,
  REGISTRY_KEY_FIELD,
  RegistryError,
} from "@lmstrix/core/registry";
import { afterEach, describe, expect, it } from "vitest";
import { openTempDatabase } from "../test/support/temp-database";
import { ROWS_PER_STATEMENT } from "./bulk-write";
import { PrismaStore } from "./prisma-store";
import { importRegistry, importRegistryText, RegistryImportError } from "./registry-import";
import { parseExtras } from "./registry-import/field-diff";
import { snapshotsDir } from "./snapshots";
import {
  FIXTURES_DIR,
  fileChecksum,
  logicalDump,
  readFixture,
} from "./testing/fixtures/database-fingerprint";

type TempDatabase = Awaited<ReturnType<typeof openTempDatabase>>;
const open: TempDatabase[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) await db.dispose();
});

async function tempDatabase() {
  const db = await openTempDatabase();
  open.push(db);
  const host = await new PrismaStore(db.prisma).ensureHost("adams-mbp", "ws://127.0.0.1:1234");
  return { db, host };
}

const fleetText = readFixture("lmstrix-fleet.json");
const NOW = new Date("2026-11-26T12:00:00Z");
const snapshotFiles = (db: TempDatabase) =>
  readdirSync(snapshotsDir(db.dataDir), { withFileTypes: true }).length;

describe("importRegistry: a realistic lmstrix.json (54 models)", () => {
  it("creates the models the host does not know, with their history in one imported run", async () => {
    const { db, host } = await tempDatabase();
    const parsed = parseRegistry(fleetText, { source: "/home/adam/lmstrix.json", zone: "utc" });
    expect(parsed.entries).toHaveLength(54);
    const result = await importRegistry(db, host.id, parsed, { now: NOW });
    expect(result).toMatchObject({
      dryRun: false,
      source: "lmstrix.json",
      format: "lmstrix",
      previousImportRunId: null,
    });
    expect(result.created).toHaveLength(54);
    expect(result.updated).toEqual([]);
    expect(result.unchanged).toEqual([]);
    expect(result.snapshot).toMatch(/^lmstrix-.*-before-import\.db$/);
    expect(result.warnings.map((warning) => warning.key)).toEqual([
      "qwen3-14b",
      "devstral-small-2505",
      "megabeam-mistral-7b-512k",
    ]);

    const store = new PrismaStore(db.prisma);
    const models = await store.listModels({ hostId: host.id });
    expect(models).toHaveLength(54);
    expect(models.every((model) => !model.isPresent && model.firstSeenAt.getTime() === NOW.getTime())).toBe(
      true,
    );
    const byKey = new Map(models.map((model) => [model.modelKey, model]));
    expect(models.filter((model) => model.type === "embedding").map((model) => model.modelKey)).toHaveLength(
      7,
    );
    expect(byKey.get("mistral-small-24b-instruct-2501")).toMatchObject({
      declaredContext: 32_768,
      loadableLimit: 22_847,
      lastGoodContext: 22_847,
      lastBadContext: 25_132,
      testStatus: "completed",
      toolUse: true,
      lastTestedAt: new Date("2025-07-24T14:10:31.998Z"),
      publisher: "lmstudio-community",
      quantization: "Q3_K_L",
      params: "24B",
    });
    expect(byKey.get("phi-4")).toMatchObject({
      testStatus: "failed",
      errorCategory: "UNKNOWN",
      errorMessage: "Failed to load model: llama_memory is null",
      loadableLimit: null,
      lastBadContext: 2048,
    });
    expect(byKey.get("llama-3.1-8b-ultralong-256k-instruct@q3_k_l")).toMatchObject({
      quantization: "Q3_K_L",
      declaredContext: 262_144,
    });
    // lmstrix's stuck "testing": settled like LMStrix settles its own.
    expect(byKey.get("devstral-small-2505")?.testStatus).toBe("completed");
    expect(byKey.get("megabeam-mistral-7b-512k")?.testStatus).toBe("untested");
    expect(models.filter((model) => model.testStatus === "testing")).toEqual([]);

    const qwen = await db.prisma.model.findFirstOrThrow({ where: { modelKey: "qwen3-8b" } });
    expect(parseExtras(qwen.extraJson)).toEqual({
      short_id: "Qwen3-8B-Q4_K_M",
      ctx_out: 4096,
      context_test_log: "/Users/adam/.lmstudio/lmstrix/context_tests/qwen3-8b_context_test.log",
      tps: 41.2,
      ttft_seconds: 0.35,
      benchmark: { needle_32k: true, mmlu: 0.71 },
    });
    const pathKeyed = await db.prisma.model.findFirstOrThrow({
      where: { modelKey: "qwen2.5-vl-7b-instruct" },
    });
    expect(parseExtras(pathKeyed.extraJson)[REGISTRY_KEY_FIELD]).toBe(pathKeyed.path);

    // The history: one completed run started by "import", a pass at each limit and a fail at each last bad.
    const runs = await store.listRuns({ hostId: host.id });
    expect(runs).toHaveLength(1);
    const run = runs[0]!;
    expect(run).toMatchObject({ id: result.runId, status: "completed", mode: "all", startedBy: "import" });
    const raw = JSON.parse((await db.prisma.run.findUniqueOrThrow({ where: { id: run.id } })).optionsJson);
    expect(raw).toMatchObject({
      imported: true,
      source: "lmstrix.json",
      contentHash: parsed.contentHash,
      registry: {
        path: "/Users/adam/.lmstudio",
        extras: { lmstrix_version: "1.0.55", saved_by: { host: "adams-mbp", user: "adam" } },
      },
    });
    const probes = await store.listRunProbes(run.id);
    expect(probes).toHaveLength(result.probesAdded);
    const mistral = byKey.get("mistral-small-24b-instruct-2501")!;
    expect(probes.filter((probe) => probe.modelId === mistral.id)).toEqual([
      expect.objectContaining({
        outcome: "pass",
        contextRequested: 22_847,
        contextApplied: null,
        finishedAt: mistral.lastTestedAt,
      }),
      expect.objectContaining({ outcome: "fail", contextRequested: 25_132, errorCategory: "UNKNOWN" }),
    ]);
    const untested = models.filter(
      (model) =>
        model.loadableLimit === null && model.lastGoodContext === null && model.lastBadContext === null,
    );
    expect(probes.some((probe) => untested.some((model) => model.id === probe.modelId))).toBe(false);
    expect((await store.listEventsAfter(run.id, 0, 10)).map((event) => event.type)).toEqual([
      "log",
      "run.finished",
    ]);
  });

  it("changes nothing the second time, and names the earlier import", async () => {
    const { db, host } = await tempDatabase();
    const first = await importRegistryText(db, host.id, fleetText, { source: "lmstrix.json", now: NOW });
    const checksum = await fileChecksum(db);
    const snapshots = snapshotFiles(db);
    const second = await importRegistryText(db, host.id, fleetText, {
      source: "lmstrix.json",
      now: new Date(),
    });
    expect(second).toMatchObject({
      created: [],
      updated: [],
      probesAdded: 0,
      runId: null,
      snapshot: null,
      previousImportRunId: first.runId,
    });
    expect(second.unchanged).toHaveLength(54);
    expect(await fileChecksum(db)).toBe(checksum);
    expect(snapshotFiles(db)).toBe(snapshots);
  });

  it("dry run: returns what would change and changes nothing", async () => {
    const { db, host } = await tempDatabase();
    const checksum = await fileChecksum(db);
    const dry = await importRegistryText(db, host.id, fleetText, { dryRun: true, now: NOW });
    expect(dry).toMatchObject({ dryRun: true, runId: null, snapshot: null });
    expect(await fileChecksum(db)).toBe(checksum);
    expect(readdirSync(db.dataDir)).not.toContain("snapshots");
    const real = await importRegistryText(db, host.id, fleetText, { now: NOW });
    expect({ ...dry, dryRun: false, runId: real.runId, snapshot: real.snapshot }).toEqual(real);
  });

  it("keeps what a scan reports and LMStrix's newer results; takes older-tested models' results", async () => {
    const { db, host } = await tempDatabase();
    const store = new PrismaStore(db.prisma);
    const scanned = {
      displayName: "Qwen3 8B",
      type: "llm" as const,
      format: "gguf",
      publisher: "lmstudio-community",
      path: "lmstudio-community/Qwen3-8B-GGUF/Qwen3-8B-Q4_K_M.gguf",
      sizeBytes: 5_027_000_000,
      architecture: "qwen3",
      quantization: "Q4_K_M",
      params: "8B",
      declaredContext: 40_960,
      vision: false,
      toolUse: true,
    };
    await store.syncModels(
      host.id,
      [
        { ...scanned, modelKey: "qwen3-8b" },
        { ...scanned, modelKey: "phi-4", declaredContext: 16_384, path: "phi.gguf" },
      ],
      new Date("2026-01-01T00:00:00Z"),
    );
    const qwen = (await store.getModel(host.id, "qwen3-8b"))!;
    const phi = (await store.getModel(host.id, "phi-4"))!;
    // LMStrix measured qwen3-8b after lmstrix did (2025-07-25); phi-4 before (2025-07-24T14:40).
    await store.updateModelSummary(qwen.id, {
      testStatus: "completed",
      loadableLimit: 38_000,
      lastTestedAt: new Date("2026-01-02T00:00:00Z"),
    });
    await store.updateModelSummary(phi.id, {
      testStatus: "completed",
      loadableLimit: 16_384,
      lastTestedAt: new Date("2025-01-01T00:00:00Z"),
    });

    const result = await importRegistryText(db, host.id, fleetText, { now: NOW, zone: "utc" });
    expect(result.created).toHaveLength(52);
    const updated = new Map(result.updated.map((item) => [item.modelKey, item]));
    expect(updated.get("qwen3-8b")?.changes.map((change) => change.field)).toEqual(["extraJson"]);
    expect(updated.get("qwen3-8b")?.probes).toEqual([
      { outcome: "pass", contextRequested: 40_960, at: new Date("2025-07-25T09:12:44.481Z") },
    ]);
    expect(updated.get("phi-4")?.changes).toEqual(
      expect.arrayContaining([
        { field: "testStatus", from: "completed", to: "failed" },
        { field: "loadableLimit", from: 16_384, to: null },
        { field: "lastTestedAt", from: "2025-01-01T00:00:00.000Z", to: "2025-07-24T14:40:09.120Z" },
      ]),
    );
    expect(await store.getModel(host.id, "qwen3-8b")).toMatchObject({
      ...scanned,
      isPresent: true,
      loadableLimit: 38_000,
    });
    expect(await store.getModel(host.id, "phi-4")).toMatchObject({
      declaredContext: 16_384,
      path: "phi.gguf",
      testStatus: "failed",
    });
  });

  it("is refused while a run of the host is running", async () => {
    const { db, host } = await tempDatabase();
    await db.prisma.run.create({ data: { hostId: host.id, mode: "all", status: "running" } });
    const checksum = await fileChecksum(db);
    await expect(importRegistryText(db, host.id, fleetText)).rejects.toMatchObject({
      code: "RUN_IN_PROGRESS",
    });
    await expect(importRegistryText(db, 999, fleetText)).rejects.toBeInstanceOf(RegistryImportError);
    expect((await importRegistryText(db, host.id, fleetText, { dryRun: true })).created).toHaveLength(54);
    expect(await fileChecksum(db)).toBe(checksum);
  });

  it("runs in one transaction: a failure half-way leaves the data untouched", async () => {
    const { db, host } = await tempDatabase();
    const parsed = parseRegistry(fleetText);
    const twice: ParsedRegistry = { ...parsed, entries: [...parsed.entries, parsed.entries[0]!] };
    const before = await logicalDump(db.prisma, ["Snapshot"]);
    await expect(importRegistry(db, host.id, twice)).rejects.toThrow(/unique constraint failed/i);
    expect(await logicalDump(db.prisma, ["Snapshot"])).toBe(before);
  });
});

/** A registry of `count` tested models, each with a last good and a last bad size, tested at `testedAt`. */
function generatedRegistry(count: number, testedAt: string, goodContext: number): string {
  const llms: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    const id = `model-${i}`;
    llms[id] = {
      id,
      short_id: id,
      path: `pub/${id}/${id}.gguf`,
      size_bytes: 6_000_000_000 + i,
      ctx_in: 32_768,
      has_tools: i % 2 === 0,
      has_vision: false,
      loadable_max_context: goodContext,
      last_known_good_context: goodContext,
      last_known_bad_context: 20_000,
      context_test_status: "completed",
      context_test_date: testedAt,
      failed: false,
      error_msg: "",
      note: `entry ${i}`,
    };
  }
  return JSON.stringify({ llms, path: "/x" });
}

describe("importRegistry: registries larger than one write batch", () => {
  // Enough models that creating them, their probes and updating them each take several statements.
  const count = ROWS_PER_STATEMENT * 2 + 7;

  it("creates every model and probe, then changes nothing on a second import", async () => {
    const { db, host } = await tempDatabase();
    const text = generatedRegistry(count, "2025-05-01T10:00:00Z", 16_384);
    const first = await importRegistryText(db, host.id, text, { now: NOW, snapshot: false });
    expect(first.created).toHaveLength(count);
    expect(first.probesAdded).toBe(count * 2);

    const models = await new PrismaStore(db.prisma).listModels({ hostId: host.id });
    expect(models).toHaveLength(count);
    expect(models.find((model) => model.modelKey === `model-${count - 1}`)).toMatchObject({
      sizeBytes: 6_000_000_000 + count - 1,
      toolUse: (count - 1) % 2 === 0,
      isPresent: false,
      loadableLimit: 16_384,
      lastBadContext: 20_000,
      lastTestedAt: new Date("2025-05-01T10:00:00Z"),
      firstSeenAt: NOW,
    });
    const probes = await db.prisma.probe.findMany({ where: { runId: first.runId! } });
    expect(models.find((model) => model.modelKey === "model-1")?.toolUse).toBe(false);
    expect(probes).toHaveLength(count * 2);
    expect(new Set(probes.map((probe) => probe.modelId)).size).toBe(count);
    expect(probes.filter((probe) => probe.outcome === "fail").map((probe) => probe.contextRequested)).toEqual(
      Array(count).fill(20_000),
    );

    const checksum = await fileChecksum(db);
    const again = await importRegistryText(db, host.id, text, { now: new Date(), snapshot: false });
    expect(again).toMatchObject({ created: [], updated: [], runId: null, previousImportRunId: first.runId });
    expect(again.unchanged).toHaveLength(count);
    expect(await fileChecksum(db)).toBe(checksum);
  });

  it("updates every model from a newer registry, with only the new measurement added", async () => {
    const { db, host } = await tempDatabase();
    await importRegistryText(db, host.id, generatedRegistry(count, "2025-05-01T10:00:00Z", 16_384), {
      now: NOW,
      snapshot: false,
    });
    const newer = await importRegistryText(
      db,
      host.id,
      generatedRegistry(count, "2025-06-01T10:00:00Z", 18_000),
      { now: NOW, snapshot: false },
    );
    expect(newer.created).toEqual([]);
    expect(newer.updated).toHaveLength(count);
    expect(newer.probesAdded).toBe(count);
    expect(newer.updated[count - 1]?.changes).toEqual([
      { field: "loadableLimit", from: 16_384, to: 18_000 },
      { field: "lastGoodContext", from: 16_384, to: 18_000 },
      { field: "lastTestedAt", from: "2025-05-01T10:00:00.000Z", to: "2025-06-01T10:00:00.000Z" },
    ]);
    const models = await new PrismaStore(db.prisma).listModels({ hostId: host.id });
    expect(new Set(models.map((model) => model.loadableLimit))).toEqual(new Set([18_000]));
    expect(new Set(models.map((model) => model.lastTestedAt?.toISOString()))).toEqual(
      new Set(["2025-06-01T10:00:00.000Z"]),
    );
    expect(await db.prisma.probe.count({ where: { runId: newer.runId!, outcome: "pass" } })).toBe(count);
  });

  it("leaves the data untouched when a write fails after several batches were written", async () => {
    const { db, host } = await tempDatabase();
    const parsed = parseRegistry(generatedRegistry(count, "2025-05-01T10:00:00Z", 16_384));
    // The same model again, last: its batch fails on the unique key after the earlier batches went in.
    const twice: ParsedRegistry = { ...parsed, entries: [...parsed.entries, parsed.entries[0]!] };
    const before = await logicalDump(db.prisma, ["Snapshot"]);
    await expect(importRegistry(db, host.id, twice, { snapshot: false })).rejects.toThrow(
      /unique constraint failed/i,
    );
    expect(await logicalDump(db.prisma, ["Snapshot"])).toBe(before);
  });
});

describe("importRegistry: the older lmsm.json", () => {
  it("imports its models untested, skipping the entry lmsm could not read", async () => {
    const { db, host } = await tempDatabase();
    const result = await importRegistryText(db, host.id, readFixture("lmsm-legacy.json"), {
      source: "lmsm.json",
      now: NOW,
    });
    expect(result.format).toBe("lmsm");
    expect(result.created).toHaveLength(12);
    expect(result.probesAdded).toBe(0);
    expect(result.warnings).toEqual([
      {
        key: "broken-download",
        message: expect.stringMatching(/skipped — lmsm could not read this model .*No model found/),
      },
    ]);
    const models = await new PrismaStore(db.prisma).listModels({ hostId: host.id });
    expect(new Set(models.map((model) => model.testStatus))).toEqual(new Set(["untested"]));
    expect(models.find((model) => model.modelKey === "qwen2.5-7b-instruct")).toMatchObject({
      path: "/Users/adam/.lmstudio/models/lmstudio-community/Qwen2.5-7B-Instruct-GGUF/Qwen2.5-7B-Instruct-Q4_K_M.gguf",
      publisher: "lmstudio-community",
      toolUse: true,
    });
    // The registry's path is kept (in the import run) for an export, even though no measurement came with it.
    expect(result.runId).not.toBeNull();
    expect((await importRegistryText(db, host.id, readFixture("lmsm-legacy.json"))).runId).toBeNull();
  });
});

describe("importRegistry: malformed files", () => {
  const cases: Record<string, RegExp | string> = {
    "01-not-json.txt": /^not valid JSON: Unexpected token/,
    "02-truncated.txt": /^not valid JSON: the file ends too early \(truncated\?\)/,
    "03-top-level-array.txt":
      /^the registry must be a JSON object like \{"llms": \{\.\.\.\}, "path": "\.\.\."\} \(got a list of 1\)$/,
    "04-llms-is-a-list.txt": /^llms: must be an object mapping model keys to entries \(got a list of 3\)$/,
    "05-ctx-in-as-text.txt": 'llms["qwen3-8b"].ctx_in: must be a number (got "40960")',
    "06-has-vision-as-text.txt": 'llms["qwen3-8b"].has_vision: must be true or false (got "no")',
    "07-ctx-in-too-large.txt": 'llms["qwen3-8b"].ctx_in: must be at most 10,000,000 (got 99999999999)',
    "08-ctx-in-zero.txt": 'llms["qwen3-8b"].ctx_in: must be at least 1 (got 0)',
    "09-negative-size.txt": 'llms["qwen3-8b"].size_bytes: must not be negative (got -5027783488)',
    "10-empty-id.txt": 'llms["qwen3-8b"].id: must not be empty',
    "11-empty-path.txt": 'llms["qwen3-8b"].path: must not be empty',
    "12-tested-above-twice-declared.txt":
      'llms["qwen3-8b"].tested_max_context: must be at most 2 × ctx_in = 81,920 (got 100000)',
    "13-unknown-status.txt":
      'llms["qwen3-8b"].context_test_status: must be one of "untested", "testing", "completed", "failed" (got "done")',
    "14-duplicated-key.txt":
      'llms["qwen3-8b"]: this key appears more than once in the file; JSON keeps only the last, so the entry is ambiguous',
    "15-two-entries-same-id.txt":
      'llms["gemma-3-12b-it"].id: "qwen3-8b" is already the id of llms["qwen3-8b"]; one model cannot have two entries',
    "16-date-not-iso.txt":
      'llms["qwen3-8b"].context_test_date: must be an ISO date-time like 2025-07-26T14:03:11 (got "26/07/2025 14:03")',
    "17-entry-not-an-object.txt":
      'llms["qwen3-8b"]: must be an object describing one model (got "Qwen3 8B Q4_K_M")',
    "18-last-bad-negative.txt": 'llms["qwen3-8b"].last_known_bad_context: must be at least 1 (got -1)',
    "19-fractional-context.txt": 'llms["qwen3-8b"].tested_max_context: must be a whole number (got 32768.5)',
    "20-root-path-not-text.txt": "path: must be a string (got 42)",
    "21-empty.txt": /^the file is empty/,
    "22-missing-ctx-in.txt": 'llms["qwen3-8b"].ctx_in: is required',
    "23-not-a-registry.txt": /^llms: is missing: this is not an lmstrix registry/,
    "24-failed-as-text.txt": 'llms["qwen3-8b"].failed: must be true or false (got "false")',
  };

  it("has a case for every file of the corpus", () => {
    expect(readdirSync(path.join(FIXTURES_DIR, "malformed")).sort()).toEqual(Object.keys(cases).sort());
  });

  it.each(Object.entries(cases))(
    "%s is rejected with a specific message and no change",
    async (file, message) => {
      const { db, host } = await tempDatabase();
      await importRegistryText(db, host.id, readFixture("lmsm-legacy.json"));
      const checksum = await fileChecksum(db);
      const snapshots = snapshotFiles(db);
      const error = await importRegistryText(db, host.id, readFixture(path.join("malformed", file))).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(RegistryError);
      const text = (error as RegistryError).message;
      if (typeof message === "string") expect(text).toBe(message);
      else expect(text).toMatch(message);
      expect(await fileChecksum(db)).toBe(checksum);
      expect(snapshotFiles(db)).toBe(snapshots);
    },
  );

  it("refuses more than 50 MB of garbage before parsing it", async () => {
    const { db, host } = await tempDatabase();
    const checksum = await fileChecksum(db);
    const chunk = '\u0000garbage{["\\ '.repeat(4096);
    const huge = chunk.repeat(Math.ceil((51 * 1024 * 1024) / chunk.length));
    const started = performance.now();
    await expect(importRegistryText(db, host.id, huge)).rejects.toThrow(
      /^the file is larger than 50 MB \(5\d\.\d MB\); a registry is refused above that size$/,
    );
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(await fileChecksum(db)).toBe(checksum);
  });

  it("imports the valid entries of a file with invalid ones when told to skip them", async () => {
    const { db, host } = await tempDatabase();
    const result = await importRegistryText(db, host.id, readFixture("malformed/07-ctx-in-too-large.txt"), {
      skipInvalid: true,
    });
    expect(result.created.map((item) => item.modelKey)).toEqual([
      "gemma-3-12b-it",
      "text-embedding-nomic-embed-text-v1.5",
    ]);
    expect(result.warnings).toEqual([
      {
        key: "qwen3-8b",
        message: 'llms["qwen3-8b"] skipped: ctx_in: must be at most 10,000,000 (got 99999999999)',
      },
    ]);
  });
});
