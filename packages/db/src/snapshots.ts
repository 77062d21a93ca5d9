import { existsSync } from "node:fs";
import { copyFile, lstat, mkdir, mkdtemp, readdir, rename, rm, stat, unlink } from "node:fs/promises";
import path from "node:path";
import type { Client } from "@libsql/client";
import { plural } from "@lmstrix/core";
import { applyMigrations, currentMigration, readMigrations } from "./migrate";
import { databasePath } from "./paths";
import {
  type DatabaseHandle,
  errorMessage,
  openRawClient,
  query,
  quoteIdentifier,
  type Row,
  toSqliteDateTime,
} from "./sqlite-raw";

export const SNAPSHOT_REASONS = [
  "before-run",
  "before-import",
  "before-restore",
  "before-repair",
  "manual",
] as const;
export type SnapshotReason = (typeof SNAPSHOT_REASONS)[number];

/** How many snapshots are kept unless the apps configure another number (DESIGN.md: "the newest 10"). */
export const DEFAULT_SNAPSHOT_KEEP = 10;

/** Tables a database must have to be an LMStrix database (and a snapshot one that can be restored). */
export const REQUIRED_TABLES = [
  "Host",
  "HostLease",
  "Model",
  "Run",
  "Probe",
  "RunEvent",
  "Snapshot",
] as const;

/**
 * Tables a restore leaves as they are: the migration log (the live file's schema stays), the snapshot list
 * (it must survive a restore, or the user could not undo it), and host leases (who drives a host right now is
 * a fact about running processes, not data; leases of hosts the restored data lacks are dropped).
 */
const KEPT_BY_RESTORE = new Set(["_prisma_migrations", "Snapshot", "HostLease"]);

export type SnapshotErrorCode =
  | "INVALID_NAME"
  | "NOT_FOUND"
  | "RUN_IN_PROGRESS"
  | "INVALID_SNAPSHOT"
  | "NEWER_SNAPSHOT"
  | "INVALID_REASON"
  | "UNSAFE_FOLDER";

export class SnapshotError extends Error {
  override readonly name = "SnapshotError";

  constructor(
    readonly code: SnapshotErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface SnapshotInfo {
  /** File name inside `<dataDir>/snapshots/`; the only thing callers ever pass back. */
  name: string;
  sizeBytes: number;
  /** One of `SNAPSHOT_REASONS`, or `unknown` for a file LMStrix did not name. */
  reason: string;
  createdAt: Date;
  ageMs: number;
  /** There is a row in the Snapshot table for it. */
  recorded: boolean;
  /** The row exists but the file is gone (deleted by hand); it cannot be restored. */
  missing: boolean;
}

export function snapshotsDir(dataDir: string): string {
  return path.join(dataDir, "snapshots");
}

/**
 * Refuses a snapshots folder that is a symbolic link: snapshots (copies of all the data) would be written, and
 * pruned, outside the data directory, wherever the link points.
 */
async function checkSnapshotsFolder(folder: string): Promise<void> {
  const info = await lstat(folder).catch(() => null);
  if (info?.isSymbolicLink()) {
    throw new SnapshotError(
      "UNSAFE_FOLDER",
      `The snapshots folder ${folder} is a symbolic link; snapshots stay inside the data directory, so replace it with a real folder`,
    );
  }
}

const OWN_NAME =
  /^lmstrix-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z)-(before-run|before-import|before-restore|before-repair|manual)(?:-(\d+))?\.db$/;
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,250}$/;

/** A snapshot name as LMStrix writes it: `lmstrix-2026-11-26T22-40-01-123Z-before-run.db`. */
export function snapshotFileName(createdAt: Date, reason: SnapshotReason, sequence = 1): string {
  const stamp = createdAt.toISOString().replace(/[:.]/g, "-");
  return `lmstrix-${stamp}-${reason}${sequence > 1 ? `-${sequence}` : ""}.db`;
}

function parseOwnName(name: string): { createdAt: Date; reason: SnapshotReason } | null {
  const match = OWN_NAME.exec(name);
  if (!match) return null;
  const [, stamp, reason] = match;
  const iso = stamp!.replace(/T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z$/, "T$1:$2:$3.$4Z");
  const createdAt = new Date(iso);
  return Number.isNaN(createdAt.getTime()) ? null : { createdAt, reason: reason as SnapshotReason };
}

/** True for names a user may pass: one plain file name ending in `.db`, no separators, no `..`. */
export function isSafeSnapshotName(name: unknown): name is string {
  return (
    typeof name === "string" &&
    SAFE_NAME.test(name) &&
    name.endsWith(".db") &&
    !name.includes("..") &&
    path.basename(name) === name
  );
}

/**
 * The absolute path of an existing snapshot, for a name a user gave. Refuses anything that is not a plain
 * `.db` file name, or that is not a regular file (symbolic links included) directly inside the snapshots
 * folder, so a snapshot path can never leave the data directory.
 */
export async function resolveSnapshotFile(dataDir: string, name: string): Promise<string> {
  if (!isSafeSnapshotName(name)) {
    throw new SnapshotError(
      "INVALID_NAME",
      `Invalid snapshot name ${JSON.stringify(String(name).slice(0, 200))}: give a file name from the snapshot list (letters, digits, '.', '_', '-', ending in .db)`,
    );
  }
  const folder = snapshotsDir(dataDir);
  // A linked folder would let a restore read a file from wherever the link points.
  await checkSnapshotsFolder(folder);
  const file = path.join(folder, name);
  if (path.dirname(file) !== folder)
    throw new SnapshotError("INVALID_NAME", `Invalid snapshot name "${name}"`);
  const info = await lstat(file).catch(() => null);
  if (!info?.isFile()) {
    throw new SnapshotError("NOT_FOUND", `No snapshot named "${name}" in ${folder}`);
  }
  return file;
}

/**
 * Takes a consistent copy of the live database with `VACUUM INTO` (a raw file copy of a WAL database can miss
 * committed pages or catch a half-written one) into `<dataDir>/snapshots/`, records it in the Snapshot table
 * and, with `keep`, prunes to the newest `keep`. The copy is written under a temporary name and renamed, so a
 * crash never leaves a half snapshot that looks complete.
 */
export async function createSnapshot(
  db: DatabaseHandle,
  reason: SnapshotReason,
  options: { keep?: number; now?: Date } = {},
): Promise<SnapshotInfo> {
  if (!(SNAPSHOT_REASONS as readonly string[]).includes(reason)) {
    throw new SnapshotError("INVALID_REASON", `Unknown snapshot reason "${reason}"`);
  }
  if (options.keep !== undefined) checkKeep(options.keep);
  const folder = snapshotsDir(db.dataDir);
  await checkSnapshotsFolder(folder);
  await mkdir(folder, { recursive: true });
  const createdAt = options.now ?? new Date();
  const recorded = new Set(
    (await db.prisma.snapshot.findMany({ select: { file: true } })).map((row) => row.file),
  );
  let sequence = 1;
  let name = snapshotFileName(createdAt, reason);
  while (recorded.has(name) || existsSync(path.join(folder, name))) {
    sequence += 1;
    name = snapshotFileName(createdAt, reason, sequence);
  }
  const file = path.join(folder, name);
  const partial = path.join(folder, `.${name}.partial`);
  await rm(partial, { force: true });
  const client = await openRawClient(db.file);
  try {
    await client.execute({ sql: "VACUUM INTO ?", args: [partial] });
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  } finally {
    client.close();
  }
  await rename(partial, file);
  const { size } = await stat(file);
  try {
    await db.prisma.snapshot.create({ data: { file: name, sizeBytes: BigInt(size), reason, createdAt } });
  } catch (error) {
    await rm(file, { force: true });
    throw error;
  }
  if (options.keep !== undefined) await pruneSnapshots(db, options.keep);
  return {
    name,
    sizeBytes: size,
    reason,
    createdAt,
    ageMs: Date.now() - createdAt.getTime(),
    recorded: true,
    missing: false,
  };
}

export interface SnapshotRow {
  file: string;
  sizeBytes: number | bigint;
  reason: string;
  createdAt: Date;
}

/**
 * Snapshots newest first: every row of the Snapshot table (marked `missing` when its file is gone) and every
 * `.db` file in the snapshots folder (a file without a row, e.g. copied in by hand or left by a restore of an
 * older snapshot, is listed with what its name and the file tell).
 */
export async function listSnapshots(
  db: DatabaseHandle,
  options: { now?: Date } = {},
): Promise<SnapshotInfo[]> {
  const rows = await db.prisma.snapshot.findMany();
  return listSnapshotsIn(db.dataDir, rows, options.now);
}

/** `listSnapshots` from rows read some other way (the health check of a file reads them without Prisma). */
export async function listSnapshotsIn(
  dataDir: string,
  rows: readonly SnapshotRow[],
  now: Date = new Date(),
): Promise<SnapshotInfo[]> {
  const folder = snapshotsDir(dataDir);
  const onDisk = new Map<string, { size: number; mtime: Date }>();
  for (const name of await readdir(folder).catch(() => [] as string[])) {
    if (!isSafeSnapshotName(name)) continue;
    const info = await lstat(path.join(folder, name)).catch(() => null);
    if (info?.isFile()) onDisk.set(name, { size: info.size, mtime: info.mtime });
  }
  const list: SnapshotInfo[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    seen.add(row.file);
    const disk = onDisk.get(row.file);
    list.push({
      name: row.file,
      sizeBytes: disk?.size ?? Number(row.sizeBytes),
      reason: row.reason,
      createdAt: row.createdAt,
      ageMs: now.getTime() - row.createdAt.getTime(),
      recorded: true,
      missing: disk === undefined,
    });
  }
  for (const [name, disk] of onDisk) {
    if (seen.has(name)) continue;
    const own = parseOwnName(name);
    const createdAt = own?.createdAt ?? disk.mtime;
    list.push({
      name,
      sizeBytes: disk.size,
      reason: own?.reason ?? "unknown",
      createdAt,
      ageMs: now.getTime() - createdAt.getTime(),
      recorded: false,
      missing: false,
    });
  }
  return list.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.name.localeCompare(a.name));
}

export interface PruneResult {
  /** Snapshots deleted (file and row), oldest last. */
  deleted: string[];
  /** Rows dropped because their file was already gone. */
  forgotten: string[];
  kept: string[];
}

/**
 * Keeps the newest `keep` snapshots and deletes the older ones, file and row. Only LMStrix's own snapshots
 * (recorded, or named the way LMStrix names them) are ever deleted or counted: a `.db` file someone put in the
 * folder by hand stays. Rows whose file is gone are dropped, and so are temporary files of a snapshot that
 * never finished (older than an hour).
 */
export async function pruneSnapshots(db: DatabaseHandle, keep = DEFAULT_SNAPSHOT_KEEP): Promise<PruneResult> {
  checkKeep(keep);
  const folder = snapshotsDir(db.dataDir);
  await checkSnapshotsFolder(folder);
  const all = await listSnapshots(db);
  const own = all.filter((item) => item.recorded || parseOwnName(item.name) !== null);
  const present = own.filter((item) => !item.missing);
  const doomed = present.slice(keep);
  const forgotten = own.filter((item) => item.missing).map((item) => item.name);
  for (const item of doomed) await unlink(path.join(folder, item.name)).catch(ignoreMissing);
  const dropRows = [...doomed.map((item) => item.name), ...forgotten];
  if (dropRows.length > 0) await db.prisma.snapshot.deleteMany({ where: { file: { in: dropRows } } });
  const hourAgo = Date.now() - 3_600_000;
  for (const name of await readdir(folder).catch(() => [] as string[])) {
    if (!/^\.lmstrix-.*\.partial$/.test(name)) continue;
    const info = await lstat(path.join(folder, name)).catch(() => null);
    if (info?.isFile() && info.mtimeMs < hourAgo) await unlink(path.join(folder, name)).catch(ignoreMissing);
  }
  return {
    deleted: doomed.map((item) => item.name),
    forgotten,
    kept: present.slice(0, keep).map((item) => item.name),
  };
}

function checkKeep(keep: number): void {
  if (!Number.isInteger(keep) || keep < 1) {
    throw new RangeError(
      `The number of snapshots to keep must be a whole number of at least 1 (got ${keep})`,
    );
  }
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
}

export interface PreparedSnapshot {
  /** A private, validated and migrated copy of the snapshot. */
  file: string;
  /** The snapshot's migration before it was brought up to date, when it was older. */
  migratedFrom: string | null;
  /** Removes the copy and its folder. */
  dispose(): Promise<void>;
}

/**
 * Validates a snapshot on a private copy (the snapshot file itself is never opened for writing): it must be
 * an SQLite database whose `PRAGMA integrity_check` is `ok`, with LMStrix's tables, made by this or an older
 * version (a newer one is refused), and with no broken foreign keys. An older one is migrated with the
 * package's migrator. The copy lives in a temporary folder inside `workDir` (same file system as the data).
 */
export async function prepareSnapshot(snapshotFile: string, workDir: string): Promise<PreparedSnapshot> {
  const name = path.basename(snapshotFile);
  const folder = await mkdtemp(path.join(workDir, ".restore-"));
  const dispose = () => rm(folder, { recursive: true, force: true });
  const copy = path.join(folder, "snapshot.db");
  let client: Client | null = null;
  try {
    // The snapshot is a finished file in rollback-journal mode (VACUUM INTO writes one), so a file copy is exact.
    await copyFile(snapshotFile, copy);
    client = await openRawClient(copy);
    const invalid = (why: string, cause?: unknown) =>
      new SnapshotError("INVALID_SNAPSHOT", `Snapshot "${name}" cannot be restored: ${why}`, { cause });
    let integrity: Row[];
    try {
      integrity = await query(client, "PRAGMA integrity_check");
    } catch (error) {
      throw invalid(`it is not a readable SQLite database (${errorMessage(error)})`, error);
    }
    const messages = integrity.map((row) => String(Object.values(row)[0]));
    if (messages.length !== 1 || messages[0] !== "ok") {
      throw invalid(`it is damaged (integrity check: ${messages.slice(0, 5).join("; ")})`);
    }
    const tables = new Set(
      (await query(client, "SELECT name FROM sqlite_master WHERE type = 'table'")).map((row) =>
        String(row.name),
      ),
    );
    const lacking = [...REQUIRED_TABLES, "_prisma_migrations"].filter((table) => !tables.has(table));
    if (lacking.length > 0) throw invalid(`it is not an LMStrix database (no table ${lacking.join(", ")})`);
    const known = new Set((await readMigrations()).map((migration) => migration.name));
    const applied = await query(
      client,
      `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const unknown = applied
      .map((row) => String(row.migration_name))
      .filter((migration) => !known.has(migration));
    if (unknown.length > 0) {
      throw new SnapshotError(
        "NEWER_SNAPSHOT",
        `Snapshot "${name}" was made by a newer LMStrix (migration ${unknown.join(", ")} is unknown here); update LMStrix to restore it`,
      );
    }
    const before = await currentMigration(client);
    const migrated = await applyMigrations(client);
    const violations = await query(client, "PRAGMA foreign_key_check");
    if (violations.length > 0)
      throw invalid(
        `${plural(violations.length, "row")} ${violations.length === 1 ? "references" : "reference"} rows that do not exist`,
      );
    return { file: copy, migratedFrom: migrated.length > 0 ? before : null, dispose };
  } catch (error) {
    client?.close();
    client = null;
    await dispose();
    throw error;
  } finally {
    client?.close();
  }
}

export interface RestoreResult {
  restored: string;
  /** The snapshot of the state just before the restore, to undo it. */
  beforeRestore: SnapshotInfo;
  migratedFrom: string | null;
  /** Rows now in each restored table. */
  rows: Record<string, number>;
  /** Runs that were `running` in the snapshot: nothing runs them now, so they became `interrupted` (and resume). */
  interruptedRuns: number[];
}

/**
 * Replaces the live database's data with a snapshot's, without swapping the file: the app keeps its
 * connections and sees the restored data at once. Refused while a run is `running`. The snapshot is validated
 * (and migrated, if older) on a private copy first, and a `before-restore` snapshot is taken. Then, on one
 * connection, the copy is ATTACHed and in one write transaction every application table is emptied and filled
 * from it, children deleted before parents and parents inserted before children, with foreign keys checked
 * before the commit — any failure rolls everything back. The Snapshot table (with the new before-restore row)
 * and the migration log stay as they are; see `KEPT_BY_RESTORE`.
 */
export async function restoreSnapshot(
  db: DatabaseHandle,
  name: string,
  options: { keep?: number } = {},
): Promise<RestoreResult> {
  const snapshotFile = await resolveSnapshotFile(db.dataDir, name);
  await refuseWhileRunning(db);
  const prepared = await prepareSnapshot(snapshotFile, db.dataDir);
  try {
    const beforeRestore = await createSnapshot(db, "before-restore");
    const applied = await replaceContents(db.file, prepared.file, name);
    if (options.keep !== undefined) await pruneSnapshots(db, options.keep);
    return { restored: name, beforeRestore, migratedFrom: prepared.migratedFrom, ...applied };
  } finally {
    await prepared.dispose();
  }
}

async function refuseWhileRunning(db: DatabaseHandle): Promise<void> {
  const running = await db.prisma.run.findMany({ where: { status: "running" }, select: { id: true } });
  if (running.length > 0) throw runningError(running.map((run) => run.id));
}

function runningError(ids: number[]): SnapshotError {
  const list = ids.map((id) => `#${id}`).join(", ");
  return new SnapshotError(
    "RUN_IN_PROGRESS",
    `Cannot restore while a run is running (run ${list}); wait for it to finish or cancel it, then restore`,
  );
}

async function replaceContents(
  liveFile: string,
  snapshotCopy: string,
  name: string,
): Promise<Pick<RestoreResult, "rows" | "interruptedRuns">> {
  const client = await openRawClient(liveFile);
  let attached = false;
  let inTransaction = false;
  try {
    // Off on this connection only: a DELETE would otherwise cascade; the whole result is checked before commit.
    await client.execute("PRAGMA foreign_keys = OFF");
    await client.execute({ sql: "ATTACH DATABASE ? AS snap", args: [snapshotCopy] });
    attached = true;
    await client.execute("BEGIN IMMEDIATE");
    inTransaction = true;
    const running = await query(client, `SELECT id FROM main."Run" WHERE status = 'running'`);
    if (running.length > 0) throw runningError(running.map((row) => Number(row.id)));
    const order = await parentsFirst(client);
    for (const table of [...order].reverse())
      await client.execute(`DELETE FROM main.${quoteIdentifier(table)}`);
    const rows: Record<string, number> = {};
    for (const table of order) {
      const live = await columnsOf(client, "main", table);
      const saved = new Set(await columnsOf(client, "snap", table));
      const columns = live
        .filter((column) => saved.has(column))
        .map(quoteIdentifier)
        .join(", ");
      const result = await client.execute(
        `INSERT INTO main.${quoteIdentifier(table)} (${columns}) SELECT ${columns} FROM snap.${quoteIdentifier(table)}`,
      );
      rows[table] = result.rowsAffected;
    }
    await client.execute(`DELETE FROM main."HostLease" WHERE "hostId" NOT IN (SELECT id FROM main."Host")`);
    const restoredRunning = (await query(client, `SELECT id FROM main."Run" WHERE status = 'running'`)).map(
      (row) => Number(row.id),
    );
    const now = toSqliteDateTime(new Date());
    const message = `Restored from snapshot ${name} while it was running; nothing runs it now`;
    for (const id of restoredRunning) {
      await client.execute({
        sql: `UPDATE main."Run" SET status = 'interrupted', message = ? WHERE id = ?`,
        args: [message, id],
      });
      await client.execute({
        sql: `INSERT INTO main."RunEvent" ("runId", "type", "payloadJson", "createdAt") VALUES (?, 'run.interrupted', ?, ?)`,
        args: [id, JSON.stringify({ message, snapshot: name }), now],
      });
    }
    const violations = await query(client, "PRAGMA main.foreign_key_check");
    if (violations.length > 0) {
      throw new SnapshotError(
        "INVALID_SNAPSHOT",
        `Snapshot "${name}" cannot be restored: ${plural(violations.length, "row")} would reference rows that do not exist`,
      );
    }
    await client.execute("COMMIT");
    inTransaction = false;
    return { rows, interruptedRuns: restoredRunning };
  } finally {
    if (inTransaction) await client.execute("ROLLBACK").catch(() => undefined);
    if (attached) await client.execute("DETACH DATABASE snap").catch(() => undefined);
    client.close();
  }
}

/** The application tables of the live database, each after the tables it references. */
async function parentsFirst(client: Client): Promise<string[]> {
  const tables = (
    await query(
      client,
      `SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
    )
  )
    .map((row) => String(row.name))
    .filter((table) => !KEPT_BY_RESTORE.has(table));
  const parents = new Map<string, string[]>();
  for (const table of tables) {
    const keys = await query(client, `SELECT "table" FROM pragma_foreign_key_list(?, 'main')`, [table]);
    parents.set(
      table,
      keys.map((row) => String(row.table)).filter((parent) => parent !== table && tables.includes(parent)),
    );
  }
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (table: string) => {
    if (ordered.includes(table) || visiting.has(table)) return;
    visiting.add(table);
    for (const parent of parents.get(table) ?? []) visit(parent);
    ordered.push(table);
  };
  for (const table of tables) visit(table);
  return ordered;
}

async function columnsOf(client: Client, schema: "main" | "snap", table: string): Promise<string[]> {
  const rows = await query(client, `SELECT name FROM pragma_table_info(?, ?)`, [table, schema]);
  return rows.map((row) => String(row.name));
}

export interface RecoverResult {
  restored: string;
  migratedFrom: string | null;
  /** Where the damaged database files were moved (kept, never deleted). */
  movedAside: string[];
}

/**
 * For a database too damaged to restore into (health says `error`): replaces the database *file* with a
 * validated, migrated copy of a snapshot. Only while no process has the database open — stop the dashboard
 * and any CLI first; a running app would keep writing to the old file. The damaged files (with their -wal and
 * -shm) are moved to `<dataDir>/damaged/`, never deleted, and snapshot files on disk are recorded again in
 * the restored Snapshot table so the list stays complete.
 */
export async function recoverFromSnapshot(dataDir: string, name: string): Promise<RecoverResult> {
  const snapshotFile = await resolveSnapshotFile(dataDir, name);
  const prepared = await prepareSnapshot(snapshotFile, dataDir);
  try {
    const live = databasePath(dataDir);
    const damaged = path.join(dataDir, "damaged");
    await mkdir(damaged, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    const movedAside: string[] = [];
    for (const suffix of ["", "-wal", "-shm"]) {
      if (!existsSync(live + suffix)) continue;
      const target = path.join(damaged, `lmstrix-${stamp}.db${suffix}`);
      await rename(live + suffix, target);
      movedAside.push(target);
    }
    await rename(prepared.file, live);
    const client = await openRawClient(live);
    try {
      const recorded = new Set(
        (await query(client, `SELECT file FROM "Snapshot"`)).map((row) => String(row.file)),
      );
      for (const item of await listSnapshotsIn(dataDir, [])) {
        const own = parseOwnName(item.name);
        if (!own || recorded.has(item.name)) continue;
        await client.execute({
          sql: `INSERT INTO "Snapshot" ("file", "sizeBytes", "reason", "createdAt") VALUES (?, ?, ?, ?)`,
          args: [item.name, item.sizeBytes, own.reason, toSqliteDateTime(own.createdAt)],
        });
      }
    } finally {
      client.close();
    }
    return { restored: name, migratedFrom: prepared.migratedFrom, movedAside };
  } finally {
    await prepared.dispose();
  }
}
