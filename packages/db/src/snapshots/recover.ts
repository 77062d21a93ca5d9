import { existsSync } from "node:fs";
import { mkdir, rename } from "node:fs/promises";
import path from "node:path";
import { databasePath } from "../paths";
import { openRawClient, query, toSqliteDateTime } from "../sqlite-raw";
import { listSnapshotsIn } from "./list";
import { parseOwnName, resolveSnapshotFile } from "./path-safety";
import { prepareSnapshot } from "./validate";

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
