import { lstat, readdir } from "node:fs/promises";
import path from "node:path";
import type { DatabaseHandle } from "../sqlite-raw";
import { isSafeSnapshotName, parseOwnName, snapshotsDir } from "./path-safety";
import type { SnapshotInfo } from "./snapshot-info";

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
