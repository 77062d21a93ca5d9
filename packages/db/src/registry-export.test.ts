import { OWNED_ENTRY_FIELDS, parseRegistry } from "@lmstrix/core/registry";
import { afterEach, describe, expect, it } from "vitest";
import { openTempDatabase } from "../test/support/temp-database";
import type { HistoryExport } from "./history-export";
import { PrismaStore } from "./prisma-store";
import { CSV_COLUMNS, csvCell, exportRegistry, RegistryExportError } from "./registry-export";
import { importRegistryText } from "./registry-import";
import { fileChecksum, readFixture } from "./testing/fixtures/database-fingerprint";

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

/** Models and their history in comparable form: no ids, no seen-at times (an import sets those to "now"). */
async function modelsWithHistory(db: TempDatabase) {
  const models = await db.prisma.model.findMany({ orderBy: { modelKey: "asc" }, include: { probes: true } });
  return models.map(
    ({ id: _id, hostId: _host, firstSeenAt: _first, lastSeenAt: _last, probes, ...model }) => ({
      ...model,
      probes: probes
        .map((probe) => [
          probe.outcome,
          probe.contextRequested,
          probe.finishedAt?.toISOString(),
          probe.errorMessage,
        ])
        .sort(),
    }),
  );
}

describe("exportRegistry: lmstrix", () => {
  it("round-trips import → export → import without loss", async () => {
    const first = await tempDatabase();
    await importRegistryText(first.db, first.host.id, fleetText, { source: "lmstrix.json" });
    const exported = await exportRegistry(first.db, { format: "lmstrix" });

    const second = await tempDatabase();
    const reimport = await importRegistryText(second.db, second.host.id, exported, { source: "export.json" });
    expect(reimport.created).toHaveLength(54);
    expect(await modelsWithHistory(second.db)).toEqual(await modelsWithHistory(first.db));
    expect(await exportRegistry(second.db, { format: "lmstrix" })).toBe(exported);

    // And back into the database it came from: nothing to change.
    const checksum = await fileChecksum(first.db);
    const again = await importRegistryText(first.db, first.host.id, exported);
    expect(again).toMatchObject({ created: [], updated: [], runId: null });
    expect(await fileChecksum(first.db)).toBe(checksum);
  });

  it("writes what lmstrix reads: all its fields, dates without a zone, unknown fields and keys as they were", async () => {
    const { db, host } = await tempDatabase();
    await importRegistryText(db, host.id, fleetText);
    const exported = JSON.parse(await exportRegistry(db, { format: "lmstrix", hostId: host.id }));
    const original = JSON.parse(fleetText);
    expect(Object.keys(exported).slice(0, 2)).toEqual(["llms", "path"]);
    expect(exported.path).toBe(original.path);
    expect(exported.lmstrix_version).toBe(original.lmstrix_version);
    expect(exported.saved_by).toEqual(original.saved_by);
    expect(Object.keys(exported.llms).sort()).toEqual(Object.keys(original.llms).sort());
    const owned = new Set<string>(OWNED_ENTRY_FIELDS);
    for (const [key, entry] of Object.entries<Record<string, unknown>>(original.llms)) {
      const out = exported.llms[key] as Record<string, unknown>;
      for (const field of [...OWNED_ENTRY_FIELDS, "short_id", "ctx_out", "context_test_log"]) {
        expect(out, `${key}.${field}`).toHaveProperty(field);
      }
      for (const [field, value] of Object.entries(entry)) {
        if (!owned.has(field)) expect(out[field], `${key}.${field}`).toEqual(value);
      }
      for (const field of [
        "id",
        "path",
        "size_bytes",
        "ctx_in",
        "has_tools",
        "has_vision",
        "last_known_good_context",
        "last_known_bad_context",
      ]) {
        expect(out[field], `${key}.${field}`).toEqual(entry[field]);
      }
      if (entry.context_test_date) {
        expect(out.context_test_date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?$/);
        expect(String(out.context_test_date).slice(0, 19)).toBe(String(entry.context_test_date).slice(0, 19));
      }
      expect(Number(out.ctx_out)).toBeLessThanOrEqual(Number(out.ctx_in));
    }
    expect(exported.llms["mistral-small-24b-instruct-2501"]).toMatchObject({
      tested_max_context: 22_847,
      loadable_max_context: 22_847,
      context_test_status: "completed",
      failed: false,
      error_msg: "",
    });
    expect(exported.llms["phi-4"]).toMatchObject({
      context_test_status: "failed",
      failed: true,
      error_msg: "Failed to load model: llama_memory is null",
    });
    // lmstrix's stuck status comes back settled, as imported.
    expect(exported.llms["devstral-small-2505"].context_test_status).toBe("completed");
    expect(parseRegistry(JSON.stringify(exported)).warnings).toEqual([]);
  });

  it("needs a host when several hosts have models", async () => {
    const { db, host } = await tempDatabase();
    await importRegistryText(db, host.id, fleetText);
    const other = await new PrismaStore(db.prisma).ensureHost("gpu-2", "ws://10.0.0.2:1234");
    await importRegistryText(db, other.id, readFixture("lmsm-legacy.json"));
    await expect(exportRegistry(db, { format: "lmstrix" })).rejects.toThrow(
      new RegistryExportError(
        "HOST_REQUIRED",
        "An lmstrix registry describes one machine; choose a host (adams-mbp, gpu-2)",
      ),
    );
    const second = JSON.parse(await exportRegistry(db, { format: "lmstrix", hostId: other.id }));
    expect(Object.keys(second.llms)).toHaveLength(12);
    expect(second.path).toBe("/Users/adam/.lmstudio");
    await expect(exportRegistry(db, { format: "lmstrix", hostId: 999 })).rejects.toMatchObject({
      code: "HOST_NOT_FOUND",
    });
  });
});

describe("exportRegistry: json and csv", () => {
  it("json: the full history, plain JSON without BigInt trouble", async () => {
    const { db, host } = await tempDatabase();
    const imported = await importRegistryText(db, host.id, fleetText, { source: "lmstrix.json" });
    const history = JSON.parse(await exportRegistry(db, { format: "json" })) as HistoryExport;
    expect(history).toMatchObject({ format: "lmstrix-history", version: 1, hostId: null });
    expect(history.hosts).toEqual([expect.objectContaining({ id: host.id, name: "adams-mbp" })]);
    expect(history.models).toHaveLength(54);
    expect(history.runs).toEqual([
      expect.objectContaining({
        id: imported.runId,
        startedBy: "import",
        options: expect.objectContaining({ imported: true, source: "lmstrix.json" }),
      }),
    ]);
    expect(history.probes).toHaveLength(imported.probesAdded);
    expect(history.events.map((event) => event.type)).toEqual(["log", "run.finished"]);
    const qwen = history.models.find((model) => model.modelKey === "qwen3-8b")!;
    expect(qwen).toMatchObject({
      sizeBytes: expect.any(Number),
      extra: expect.objectContaining({ tps: 41.2 }),
    });
    expect(qwen.lastTestedAt).toMatch(/Z$/);
  });

  it("csv: one row per model with proper quoting", async () => {
    const { db, host } = await tempDatabase();
    await importRegistryText(db, host.id, fleetText);
    await db.prisma.model.update({
      where: { hostId_modelKey: { hostId: host.id, modelKey: "phi-4" } },
      data: { displayName: 'Phi 4, "the small one"\nsecond line', errorMessage: '=HYPERLINK("x")' },
    });
    const csv = await exportRegistry(db, { format: "csv" });
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe(CSV_COLUMNS.join(","));
    expect(csv.endsWith("\r\n")).toBe(true);
    expect(csv).toContain('adams-mbp,phi-4,"Phi 4, ""the small one""\nsecond line",llm,');
    expect(csv).toContain(",failed,2025-");
    expect(csv).toContain(`,"'=HYPERLINK(""x"")"\r\n`);
    const mistral = lines.find((line) => line.startsWith("adams-mbp,mistral-small-24b-instruct-2501,"));
    expect(mistral?.split(",").slice(5, 11)).toEqual(["32768", "22847", "", "22847", "25132", "completed"]);
    expect(Number(mistral?.split(",")[4])).toBeGreaterThan(10_000_000_000);
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell("-1")).toBe("'-1");
  });
});
