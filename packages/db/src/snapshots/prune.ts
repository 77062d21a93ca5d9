import { lstat, readdir, unlink } from "node:fs/promises";
import path from "node:path";
import type { DatabaseHandle } from "../sqlite-raw";
import { listSnapshots } from "./list";
import { checkSnapshotsFolder, parseOwnName, snapshotsDir } from "./path-safety";
import { DEFAULT_SNAPSHOT_KEEP } from "./snapshot-info";

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

export function checkKeep(keep: number): void {
  if (!Number.isInteger(keep) || keep < 1) {
    throw new RangeError(
      `The number of snapshots to keep must be a whole number of at least 1 (got ${keep})`,
    );
  }
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
}
