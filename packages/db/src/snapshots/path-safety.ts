import { lstat } from "node:fs/promises";
import path from "node:path";
import { SnapshotError, type SnapshotReason } from "./snapshot-info";

export function snapshotsDir(dataDir: string): string {
  return path.join(dataDir, "snapshots");
}

/**
 * Refuses a snapshots folder that is a symbolic link: snapshots (copies of all the data) would be written, and
 * pruned, outside the data directory, wherever the link points.
 */
export async function checkSnapshotsFolder(folder: string): Promise<void> {
  const info = await lstat(folder).catch(() => null);
  if (info?.isSymbolicLink()) {
    throw new SnapshotError(
      "UNSAFE_FOLDER",
      `The snapshots folder ${folder} is a symbolic link; snapshots stay inside the data directory, so replace it with a real folder`,
    );
  }
}

const OWN_NAME =
  /^lmstrix-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z)-(before-run|before-import|before-restore|before-repair|before-remove|manual)(?:-(\d+))?\.db$/;
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,250}$/;

/** A snapshot name as LMStrix writes it: `lmstrix-2026-11-26T22-40-01-123Z-before-run.db`. */
export function snapshotFileName(createdAt: Date, reason: SnapshotReason, sequence = 1): string {
  const stamp = createdAt.toISOString().replace(/[:.]/g, "-");
  return `lmstrix-${stamp}-${reason}${sequence > 1 ? `-${sequence}` : ""}.db`;
}

export function parseOwnName(name: string): { createdAt: Date; reason: SnapshotReason } | null {
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
