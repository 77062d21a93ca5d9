import type { Client } from "@libsql/client";
import { plural } from "@lmstrix/core";
import { eventPayloadJson } from "../mappers";
import { type DatabaseHandle, openRawClient, query, quoteIdentifier, toSqliteDateTime } from "../sqlite-raw";
import { createSnapshot } from "./create";
import { resolveSnapshotFile } from "./path-safety";
import { pruneSnapshots } from "./prune";
import { SnapshotError, type SnapshotInfo } from "./snapshot-info";
import { prepareSnapshot } from "./validate";

/**
 * Tables a restore leaves as they are: the migration log (the live file's schema stays), the snapshot list
 * (it must survive a restore, or the user could not undo it), and host leases (who drives a host right now is
 * a fact about running processes, not data; leases of hosts the restored data lacks are dropped).
 */
const KEPT_BY_RESTORE = new Set(["_prisma_migrations", "Snapshot", "HostLease"]);

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
        args: [id, eventPayloadJson("run.interrupted", { message, snapshot: name }), now],
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
