import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createClient } from "@libsql/client";
import { afterEach, describe, expect, it } from "vitest";
import { openTempDatabase } from "../test/support/temp-database";
import { checkHealth, checkHealthOfFile } from "./health";
import { applyMigrations, readMigrations } from "./migrate";
import { openDatabase } from "./open-database";
import {
  createSnapshot,
  listSnapshots,
  pruneSnapshots,
  recoverFromSnapshot,
  restoreSnapshot,
  SnapshotError,
  snapshotsDir,
} from "./snapshots";
import { corruptFile } from "./testing/fixtures/corrupt";
import { fileChecksum, logicalDump } from "./testing/fixtures/database-fingerprint";

type TempDatabase = Awaited<ReturnType<typeof openTempDatabase>>;
const open: TempDatabase[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) await db.dispose();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function tempDatabase(): Promise<TempDatabase> {
  const db = await openTempDatabase();
  open.push(db);
  return db;
}

/** A host with two models, a finished run with probes and events: the data a restore must bring back. */
async function seed(db: TempDatabase) {
  const host = await db.prisma.host.create({ data: { name: "gpu-1", url: "ws://10.0.0.1:1234" } });
  const common = { hostId: host.id, type: "llm", sizeBytes: 5_027_783_488n, path: "p/q/r.gguf" };
  const a = await db.prisma.model.create({
    data: {
      ...common,
      modelKey: "qwen3-8b",
      displayName: "Qwen3 8B",
      declaredContext: 40_960,
      loadableLimit: 40_960,
      testStatus: "completed",
    },
  });
  const b = await db.prisma.model.create({
    data: { ...common, modelKey: "gemma-3-12b", displayName: "Gemma 3 12B", declaredContext: 131_072 },
  });
  const run = await db.prisma.run.create({
    data: {
      hostId: host.id,
      mode: "all",
      status: "completed",
      startedAt: new Date(),
      finishedAt: new Date(),
    },
  });
  await db.prisma.probe.create({
    data: { runId: run.id, modelId: a.id, contextRequested: 40_960, outcome: "pass" },
  });
  await db.prisma.probe.create({
    data: { runId: run.id, modelId: b.id, contextRequested: 2048, outcome: "fail" },
  });
  await db.prisma.runEvent.create({
    data: { runId: run.id, type: "run.finished", payloadJson: '{"status":"completed"}' },
  });
  return { host, a, b, run };
}

describe("createSnapshot / listSnapshots / pruneSnapshots", () => {
  it("copies the live database with VACUUM INTO into <dataDir>/snapshots and records it", async () => {
    const db = await tempDatabase();
    await seed(db);
    const snapshot = await createSnapshot(db, "manual", { now: new Date("2026-11-26T22:40:01.123Z") });
    expect(snapshot).toMatchObject({
      name: "lmstrix-2026-11-26T22-40-01-123Z-manual.db",
      reason: "manual",
      recorded: true,
      missing: false,
    });
    const file = path.join(snapshotsDir(db.dataDir), snapshot.name);
    expect(existsSync(file)).toBe(true);
    expect(snapshot.sizeBytes).toBeGreaterThan(0);
    const row = await db.prisma.snapshot.findUniqueOrThrow({ where: { file: snapshot.name } });
    expect(row).toMatchObject({ reason: "manual", sizeBytes: BigInt(snapshot.sizeBytes) });
    const copy = createClient({ url: `file:${file}` });
    expect((await copy.execute(`SELECT count(*) AS n FROM "Model"`)).rows[0]?.n).toBe(2);
    expect((await copy.execute("PRAGMA journal_mode")).rows[0]?.journal_mode).toBe("delete");
    copy.close();
    // Same instant twice: a second name, never an overwrite.
    const again = await createSnapshot(db, "manual", { now: new Date("2026-11-26T22:40:01.123Z") });
    expect(again.name).toBe("lmstrix-2026-11-26T22-40-01-123Z-manual-2.db");
    await expect(createSnapshot(db, "because" as "manual")).rejects.toThrow(/Unknown snapshot reason/);
  });

  it("keeps the newest 10 (files and rows) and never deletes files it did not make", async () => {
    const db = await tempDatabase();
    const start = Date.parse("2026-01-01T00:00:00Z");
    const names: string[] = [];
    for (let i = 0; i < 12; i += 1) {
      names.push(
        (await createSnapshot(db, i % 2 ? "before-run" : "manual", { now: new Date(start + i * 60_000) }))
          .name,
      );
    }
    writeFileSync(path.join(snapshotsDir(db.dataDir), "my-own-backup.db"), "not ours");
    const result = await pruneSnapshots(db);
    expect(result.deleted).toEqual([names[1], names[0]]);
    expect(result.kept).toEqual(names.slice(2).reverse());
    const rows = await db.prisma.snapshot.findMany({ orderBy: { createdAt: "asc" } });
    expect(rows.map((row) => row.file)).toEqual(names.slice(2));
    expect(readdirSync(snapshotsDir(db.dataDir)).sort()).toEqual(
      [...names.slice(2), "my-own-backup.db"].sort(),
    );
    // createSnapshot with `keep` prunes by itself.
    await createSnapshot(db, "manual", { now: new Date(start + 60 * 60_000), keep: 10 });
    expect(await db.prisma.snapshot.count()).toBe(10);
    expect(existsSync(path.join(snapshotsDir(db.dataDir), names[2]!))).toBe(false);
    await expect(pruneSnapshots(db, 0)).rejects.toThrow(RangeError);
  });

  it("lists files without a row and marks rows whose file is gone", async () => {
    const db = await tempDatabase();
    const kept = await createSnapshot(db, "manual", { now: new Date("2026-02-01T00:00:00Z") });
    const gone = await createSnapshot(db, "before-import", { now: new Date("2026-02-02T00:00:00Z") });
    rmSync(path.join(snapshotsDir(db.dataDir), gone.name));
    copyFileSync(
      path.join(snapshotsDir(db.dataDir), kept.name),
      path.join(snapshotsDir(db.dataDir), "lmstrix-2026-02-03T00-00-00-000Z-before-run.db"),
    );
    const list = await listSnapshots(db, { now: new Date("2026-02-04T00:00:00Z") });
    expect(
      list.map(({ name, reason, recorded, missing, ageMs }) => ({ name, reason, recorded, missing, ageMs })),
    ).toEqual([
      {
        name: "lmstrix-2026-02-03T00-00-00-000Z-before-run.db",
        reason: "before-run",
        recorded: false,
        missing: false,
        ageMs: 86_400_000,
      },
      { name: gone.name, reason: "before-import", recorded: true, missing: true, ageMs: 2 * 86_400_000 },
      { name: kept.name, reason: "manual", recorded: true, missing: false, ageMs: 3 * 86_400_000 },
    ]);
    const pruned = await pruneSnapshots(db, 10);
    expect(pruned.forgotten).toEqual([gone.name]);
    expect((await listSnapshots(db)).map((item) => item.name)).not.toContain(gone.name);
  });

  it("refuses a snapshots folder that is a symbolic link, writing nothing outside the data directory", async () => {
    const db = await tempDatabase();
    await seed(db);
    const outside = mkdtempSync(path.join(tmpdir(), "lmstrix-outside-"));
    dirs.push(outside);
    symlinkSync(outside, snapshotsDir(db.dataDir));
    const refusal = createSnapshot(db, "manual", { keep: 10 });
    await expect(refusal).rejects.toBeInstanceOf(SnapshotError);
    await expect(refusal).rejects.toMatchObject({
      code: "UNSAFE_FOLDER",
      message: expect.stringContaining(`${snapshotsDir(db.dataDir)} is a symbolic link`),
    });
    await expect(pruneSnapshots(db, 1)).rejects.toMatchObject({ code: "UNSAFE_FOLDER" });
    expect(readdirSync(outside)).toEqual([]);
    // Nor is a file read from there: a restore through the link is refused before it opens anything.
    writeFileSync(path.join(outside, "foreign.db"), "not ours");
    await expect(restoreSnapshot(db, "foreign.db")).rejects.toMatchObject({ code: "UNSAFE_FOLDER" });
    expect(await db.prisma.snapshot.count()).toBe(0);
  });
});

describe("restoreSnapshot", () => {
  it("brings the data back into the live file while the same Prisma client keeps working", async () => {
    const db = await tempDatabase();
    const { host, a, b } = await seed(db);
    const before = await logicalDump(db.prisma, ["Snapshot"]);
    const snapshot = await createSnapshot(db, "manual");

    await db.prisma.model.delete({ where: { id: b.id } });
    await db.prisma.model.update({
      where: { id: a.id },
      data: { loadableLimit: 2048, testStatus: "failed" },
    });
    await db.prisma.host.create({ data: { name: "gpu-2", url: "ws://10.0.0.2:1234" } });
    await db.prisma.run.create({ data: { hostId: host.id, mode: "single" } });
    const changed = await logicalDump(db.prisma, ["Snapshot"]);

    const result = await restoreSnapshot(db, snapshot.name);
    expect(result.restored).toBe(snapshot.name);
    expect(result.beforeRestore.reason).toBe("before-restore");
    expect(result.rows).toMatchObject({ Host: 1, Model: 2, Run: 1, Probe: 2, RunEvent: 1 });
    expect(result.migratedFrom).toBeNull();
    expect(await logicalDump(db.prisma, ["Snapshot"])).toBe(before);
    expect(await db.prisma.model.findUnique({ where: { id: a.id } })).toMatchObject({
      loadableLimit: 40_960,
      testStatus: "completed",
    });

    // The same client writes on: ids never reuse the ones the discarded state had handed out.
    const next = await db.prisma.model.create({
      data: {
        hostId: host.id,
        modelKey: "new",
        displayName: "new",
        type: "llm",
        path: "x",
        sizeBytes: 1n,
        declaredContext: 4096,
      },
    });
    expect(next.id).toBeGreaterThan(b.id);
    await db.prisma.model.delete({ where: { id: next.id } });

    // The snapshot list survived, with the before-restore snapshot on it, and that one undoes the restore.
    const names = (await listSnapshots(db)).map((item) => item.name);
    expect(names).toEqual(expect.arrayContaining([snapshot.name, result.beforeRestore.name]));
    await restoreSnapshot(db, result.beforeRestore.name);
    expect(await logicalDump(db.prisma, ["Snapshot"])).toBe(changed);
    expect(await db.prisma.snapshot.count()).toBe(3);
    expect((await checkHealth(db)).status).toBe("ok");
  });

  it("is refused while a run is running, and changes nothing", async () => {
    const db = await tempDatabase();
    const { host } = await seed(db);
    const snapshot = await createSnapshot(db, "manual");
    const run = await db.prisma.run.create({ data: { hostId: host.id, mode: "all", status: "running" } });
    const checksum = await fileChecksum(db);
    const error = await restoreSnapshot(db, snapshot.name).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SnapshotError);
    expect(error).toMatchObject({
      code: "RUN_IN_PROGRESS",
      message: expect.stringContaining(`run #${run.id}`),
    });
    expect(await fileChecksum(db)).toBe(checksum);
  });

  it("turns runs that were running in the snapshot into interrupted ones", async () => {
    const db = await tempDatabase();
    const { host } = await seed(db);
    const run = await db.prisma.run.create({ data: { hostId: host.id, mode: "all", status: "running" } });
    const snapshot = await createSnapshot(db, "manual");
    await db.prisma.run.update({ where: { id: run.id }, data: { status: "completed" } });
    const result = await restoreSnapshot(db, snapshot.name);
    expect(result.interruptedRuns).toEqual([run.id]);
    expect(await db.prisma.run.findUnique({ where: { id: run.id } })).toMatchObject({
      status: "interrupted",
    });
    expect(await db.prisma.runEvent.findMany({ where: { runId: run.id } })).toEqual([
      expect.objectContaining({
        type: "run.interrupted",
        payloadJson: expect.stringContaining(snapshot.name),
      }),
    ]);
  });

  it("accepts only names of files in the snapshots folder", async () => {
    const db = await tempDatabase();
    await seed(db);
    await createSnapshot(db, "manual");
    const outside = path.join(db.dataDir, "outside.db");
    copyFileSync(db.file, outside);
    symlinkSync(outside, path.join(snapshotsDir(db.dataDir), "linked.db"));
    const checksum = await fileChecksum(db);
    for (const name of [
      "../lmstrix.db",
      "../outside.db",
      "/etc/passwd",
      "sub/x.db",
      "a\\b.db",
      "..",
      "",
      ".hidden.db",
      "x.sqlite",
      "lmstrix..db",
    ]) {
      await expect(restoreSnapshot(db, name), name).rejects.toMatchObject({ code: "INVALID_NAME" });
    }
    for (const name of ["nope.db", "linked.db"]) {
      await expect(restoreSnapshot(db, name), name).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    expect(await fileChecksum(db)).toBe(checksum);
  });

  it("migrates a snapshot made by an older version before restoring it", async () => {
    const db = await tempDatabase();
    const [first, ...later] = await readMigrations();
    const oldFile = path.join(db.dataDir, "old.db");
    mkdirSync(snapshotsDir(db.dataDir), { recursive: true });
    const old = createClient({ url: `file:${oldFile}` });
    await applyMigrations(old, [first!]);
    await old.executeMultiple(`
      INSERT INTO "Host" (id, name, url, updatedAt) VALUES (1, 'old-host', 'ws://127.0.0.1:1234', CURRENT_TIMESTAMP);
      INSERT INTO "Model" (id, hostId, modelKey, displayName, type, path, sizeBytes, declaredContext)
        VALUES (1, 1, 'llama-3.2-1b', 'Llama', 'llm', 'p', 1, 131072);
      INSERT INTO "Run" (id, hostId, mode, status) VALUES (1, 1, 'single', 'completed');
      INSERT INTO "Probe" (id, runId, modelId, contextRequested, outcome) VALUES (1, 1, 1, 2048, 'pass');
    `);
    await old.execute({ sql: "VACUUM INTO ?", args: [path.join(snapshotsDir(db.dataDir), "from-v1.db")] });
    old.close();
    const result = await restoreSnapshot(db, "from-v1.db");
    expect(result.migratedFrom).toBe(first!.name);
    expect(later.length).toBeGreaterThan(0);
    expect(await db.prisma.probe.findMany()).toEqual([
      expect.objectContaining({
        contextRequested: 2048,
        outcome: "pass",
        attempts: 0,
        previousBadContext: null,
      }),
    ]);
    expect(await db.prisma.host.findMany({ select: { name: true } })).toEqual([{ name: "old-host" }]);
  });

  it("refuses a damaged snapshot and a file that is not a database, changing nothing", async () => {
    const db = await tempDatabase();
    await seed(db);
    const good = await createSnapshot(db, "manual");
    const folder = snapshotsDir(db.dataDir);
    copyFileSync(path.join(folder, good.name), path.join(folder, "damaged.db"));
    corruptFile(path.join(folder, "damaged.db"));
    writeFileSync(
      path.join(folder, "text.db"),
      "this is not a database at all, just some text that is long enough ".repeat(100),
    );
    const checksum = await fileChecksum(db);
    const snapshots = await db.prisma.snapshot.count();
    for (const name of ["damaged.db", "text.db"]) {
      await expect(restoreSnapshot(db, name)).rejects.toMatchObject({
        code: "INVALID_SNAPSHOT",
        message: expect.stringMatching(
          new RegExp(
            `^Snapshot "${name}" cannot be restored: it is (damaged|not a readable SQLite database)`,
          ),
        ),
      });
    }
    expect(await fileChecksum(db)).toBe(checksum);
    expect(await db.prisma.snapshot.count()).toBe(snapshots);
  });
});

describe("a corrupted database", () => {
  it("is reported by the health check and recovered from a good snapshot", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "lmstrix-recover-"));
    dirs.push(dir);
    const db = await openDatabase({ dataDir: dir });
    const seeded = await seed(db as TempDatabase);
    const good = await createSnapshot(db, "manual");
    const before = await logicalDump(db.prisma, ["Snapshot"]);
    await db.prisma.model.update({
      where: { id: seeded.a.id },
      data: { displayName: "changed after the snapshot" },
    });
    // Everything into the main file, so that a copy of it alone is the whole database.
    await db.prisma.$queryRawUnsafe("PRAGMA wal_checkpoint(TRUNCATE)");
    await db.close();

    // A copy with bytes overwritten: the health check says so (and never throws).
    const copy = path.join(dir, "copy.db");
    copyFileSync(db.file, copy);
    corruptFile(copy);
    const report = await checkHealthOfFile(copy);
    expect(report.status).toBe("error");
    expect(report.integrity.ok).toBe(false);
    expect(report.problems.map((problem) => problem.kind)).toEqual(
      expect.arrayContaining([expect.stringMatching(/integrity|unreadable/)]),
    );
    const header = path.join(dir, "header.db");
    copyFileSync(db.file, header);
    corruptFile(header, 0);
    expect(await checkHealthOfFile(header)).toMatchObject({
      status: "error",
      problems: expect.arrayContaining([
        expect.objectContaining({ kind: "unreadable", message: expect.stringMatching(/not a database/) }),
      ]),
    });
    expect((await checkHealthOfFile(path.join(dir, "missing.db"))).status).toBe("error");

    // The live file itself damaged: replace it from the snapshot (offline), keeping the damaged one aside.
    corruptFile(db.file);
    expect((await checkHealthOfFile(db.file)).status).toBe("error");
    const recovered = await recoverFromSnapshot(dir, good.name);
    expect(recovered.movedAside[0]).toMatch(/damaged[/\\]lmstrix-.*\.db$/);
    expect(recovered.movedAside.every((file) => existsSync(file))).toBe(true);
    const reopened = await openDatabase({ dataDir: dir });
    try {
      expect(await logicalDump(reopened.prisma, ["Snapshot"])).toBe(before);
      expect((await listSnapshots(reopened)).map((item) => [item.name, item.recorded])).toEqual([
        [good.name, true],
      ]);
      const health = await checkHealth(reopened);
      expect(health.status).toBe("ok");
    } finally {
      await reopened.close();
    }
  });
});
