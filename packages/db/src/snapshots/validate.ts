import { copyFile, mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import { plural } from "@lmstrix/core";
import { integrityLines, isIntact, lackingTables } from "../inspect-file";
import { appliedMigrations, applyMigrations, currentMigration, readMigrations } from "../migrate";
import { errorMessage, openRawClient, query } from "../sqlite-raw";
import { SnapshotError } from "./snapshot-info";

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
  const folder = await mkdtemp(path.join(workDir, ".restore-"));
  const dispose = () => rm(folder, { recursive: true, force: true });
  const copy = path.join(folder, "snapshot.db");
  try {
    // The snapshot is a finished file in rollback-journal mode (VACUUM INTO writes one), so a file copy is exact.
    await copyFile(snapshotFile, copy);
    const migratedFrom = await validateAndMigrate(copy, path.basename(snapshotFile));
    return { file: copy, migratedFrom, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** Checks the copy of snapshot `name` and migrates it; returns its migration before, when it was older. */
async function validateAndMigrate(copy: string, name: string): Promise<string | null> {
  const invalid = (why: string, cause?: unknown) =>
    new SnapshotError("INVALID_SNAPSHOT", `Snapshot "${name}" cannot be restored: ${why}`, { cause });
  const client = await openRawClient(copy);
  try {
    let integrity: string[];
    try {
      integrity = await integrityLines(client);
    } catch (error) {
      throw invalid(`it is not a readable SQLite database (${errorMessage(error)})`, error);
    }
    if (!isIntact(integrity))
      throw invalid(`it is damaged (integrity check: ${integrity.slice(0, 5).join("; ")})`);
    const { lacking } = await lackingTables(client);
    if (lacking.length > 0) throw invalid(`it is not an LMStrix database (no table ${lacking.join(", ")})`);
    const known = new Set((await readMigrations()).map((migration) => migration.name));
    const unknown = (await appliedMigrations(client)).filter((migration) => !known.has(migration));
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
    return migrated.length > 0 ? before : null;
  } finally {
    client.close();
  }
}
