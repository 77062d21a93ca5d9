import { existsSync } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { type DatabaseHandle, openRawClient } from "../sqlite-raw";
import { checkSnapshotsFolder, snapshotFileName, snapshotsDir } from "./path-safety";
import { checkKeep, pruneSnapshots } from "./prune";
import { SNAPSHOT_REASONS, SnapshotError, type SnapshotInfo, type SnapshotReason } from "./snapshot-info";

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
