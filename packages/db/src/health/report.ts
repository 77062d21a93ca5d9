import { existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import type { Client } from "@libsql/client";
import { DEFAULT_LEASE_STALE_MS, plural } from "@lmstrix/core";
import { z } from "zod";
import { integrityLines, isIntact, lackingTables } from "../inspect-file";
import { appliedMigrations, readMigrations } from "../migrate";
import { listSnapshotsIn, type SnapshotRow } from "../snapshots/list";
import type { SnapshotInfo } from "../snapshots/snapshot-info";
import {
  type DatabaseHandle,
  errorMessage,
  openRawClient,
  queryRows,
  sqliteDate,
  sqliteNumber,
  sqliteText,
} from "../sqlite-raw";
import { countRows, dataProblems } from "./run-checks";
import type {
  ForeignKeyViolation,
  HealthOptions,
  HealthProblem,
  HealthProblemKind,
  HealthReport,
  HealthSettings,
  HealthSeverity,
  HealthStatus,
} from "./types";

export function healthSettings(options: HealthOptions): HealthSettings {
  return { now: options.now ?? new Date(), leaseStaleMs: options.leaseStaleMs ?? DEFAULT_LEASE_STALE_MS };
}

/** Health of an open database. Never throws for a damaged database: that is reported, with status `error`. */
export async function checkHealth(db: DatabaseHandle, options: HealthOptions = {}): Promise<HealthReport> {
  return checkHealthOfFile(db.file, { ...options, dataDir: db.dataDir });
}

/**
 * Health of a database file, opened on its own connection without Prisma and without migrating it, so it
 * also works on a file that is damaged, old, or not a database at all (then `status` is `error` and the
 * problem says why). Integrity, foreign keys, migrations, the data checks and the snapshot list each run on
 * their own: one that fails becomes a `check-failed` problem, never an exception.
 */
export async function checkHealthOfFile(
  file: string,
  options: HealthOptions & { dataDir?: string } = {},
): Promise<HealthReport> {
  const settings = healthSettings(options);
  const report = emptyReport(file, settings.now);
  let snapshotRows: SnapshotRow[] = [];
  if (existsSync(file)) snapshotRows = await inspectFile(file, report, settings);
  else report.problems.push(unreadable(`There is no database file at ${report.database.path}`));
  await guard(report.problems, "the snapshot folder", async () => {
    report.snapshots = await listSnapshotsIn(
      options.dataDir ?? path.dirname(file),
      snapshotRows,
      settings.now,
    );
    report.problems.push(...report.snapshots.filter((item) => item.missing).map(missingSnapshotProblem));
  });
  report.status = worstStatus(report.problems);
  return report;
}

function emptyReport(file: string, now: Date): HealthReport {
  return {
    status: "ok",
    checkedAt: now,
    database: {
      path: path.resolve(file),
      sizeBytes: 0,
      walBytes: 0,
      migrationVersion: null,
      latestMigration: null,
      pendingMigrations: [],
      unknownMigrations: [],
    },
    integrity: { ok: false, result: [], foreignKeyViolations: [] },
    counts: null,
    problems: [],
    snapshots: [],
  };
}

/** Runs `check`; an error becomes a `check-failed` problem naming `what`. */
async function guard(problems: HealthProblem[], what: string, check: () => Promise<void>): Promise<void> {
  try {
    await check();
  } catch (error) {
    problems.push(fileProblem("check-failed", "error", `Could not check ${what}: ${errorMessage(error)}`));
  }
}

function worstStatus(problems: readonly HealthProblem[]): HealthStatus {
  if (problems.some((problem) => problem.severity === "error")) return "error";
  if (problems.some((problem) => problem.severity === "warning")) return "warning";
  return "ok";
}

const fileSize = async (file: string) => (await stat(file).catch(() => null))?.size ?? 0;

/** Every check that needs the file open, on a connection of its own; returns the Snapshot table's rows. */
async function inspectFile(
  file: string,
  report: HealthReport,
  settings: HealthSettings,
): Promise<SnapshotRow[]> {
  report.database.sizeBytes = await fileSize(file);
  report.database.walBytes = await fileSize(`${file}-wal`);
  let client: Client;
  try {
    client = await openRawClient(file);
  } catch (error) {
    report.problems.push(unreadable(`The database file cannot be opened: ${errorMessage(error)}`));
    return [];
  }
  try {
    return (await isReadableLmstrixFile(client, report)) ? await checkContents(client, report, settings) : [];
  } finally {
    client.close();
  }
}

/** Integrity (damage is reported, but the checks still run) and LMStrix's tables (without them, nothing runs). */
async function isReadableLmstrixFile(client: Client, report: HealthReport): Promise<boolean> {
  try {
    report.integrity.result = await integrityLines(client);
  } catch (error) {
    report.integrity.result = [errorMessage(error)];
    report.problems.push(
      unreadable(`The database file is damaged or not a database: ${errorMessage(error)}`),
    );
    return false;
  }
  report.integrity.ok = isIntact(report.integrity.result);
  if (!report.integrity.ok) report.problems.push(damaged(report.integrity.result));
  const { tableCount, lacking } = await lackingTables(client);
  if (lacking.length === 0) return true;
  report.problems.push(
    unreadable(
      tableCount === 0
        ? "The database is empty: no LMStrix tables (a copy of a WAL database without its -wal file looks like this)"
        : `This is not an LMStrix database, or it is incomplete: no table ${lacking.join(", ")}`,
    ),
  );
  return false;
}

const foreignKeyRow = z
  .object({ table: sqliteText, rowid: sqliteNumber.nullish(), parent: sqliteText })
  .transform(({ table, rowid, parent }) => ({ table, rowId: rowid ?? null, parent }));

const snapshotRow = z.object({
  file: sqliteText,
  sizeBytes: sqliteNumber,
  reason: sqliteText,
  createdAt: sqliteDate.transform((date) => date ?? new Date(0)),
});

async function checkContents(
  client: Client,
  report: HealthReport,
  settings: HealthSettings,
): Promise<SnapshotRow[]> {
  const { problems } = report;
  await guard(problems, "foreign keys", async () => {
    report.integrity.foreignKeyViolations = await queryRows(
      client,
      "PRAGMA foreign_key_check",
      foreignKeyRow,
    );
    problems.push(...foreignKeyProblems(report.integrity.foreignKeyViolations));
  });
  await guard(problems, "migrations", async () => {
    const known = (await readMigrations()).map((migration) => migration.name);
    const applied = await appliedMigrations(client);
    const { database } = report;
    database.migrationVersion = applied.at(-1) ?? null;
    database.latestMigration = known.at(-1) ?? null;
    database.pendingMigrations = known.filter((name) => !applied.includes(name));
    database.unknownMigrations = applied.filter((name) => !known.includes(name));
    problems.push(...migrationProblems(database));
  });
  await guard(problems, "the data", async () => {
    report.counts = await countRows(client);
    problems.push(...(await dataProblems(client, settings)));
  });
  let snapshotRows: SnapshotRow[] = [];
  await guard(problems, "the snapshot list", async () => {
    snapshotRows = await queryRows(
      client,
      `SELECT file, sizeBytes, reason, createdAt FROM "Snapshot"`,
      snapshotRow,
    );
  });
  return snapshotRows;
}

/** A problem of the file as a whole: no ids, nothing `repairHealth` can fix. */
function fileProblem(kind: HealthProblemKind, severity: HealthSeverity, message: string): HealthProblem {
  return { kind, severity, message, ids: {}, repairable: false };
}

const unreadable = (message: string) => fileProblem("unreadable", "error", message);

function damaged(integrityLines: readonly string[]): HealthProblem {
  const shown = `${integrityLines.slice(0, 5).join("; ")}${integrityLines.length > 5 ? "; …" : ""}`;
  return fileProblem(
    "integrity",
    "error",
    `The database is damaged (integrity check: ${shown}); restore a snapshot`,
  );
}

/** One problem per table and missing parent, with the ids of the rows that point nowhere. */
function foreignKeyProblems(violations: readonly ForeignKeyViolation[]): HealthProblem[] {
  const groups = new Map<string, ForeignKeyViolation[]>();
  for (const violation of violations) {
    const key = `${violation.table}→${violation.parent}`;
    groups.set(key, [...(groups.get(key) ?? []), violation]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0]!;
    return {
      kind: "foreign-key" as const,
      severity: "error" as const,
      message: `${plural(group.length, `${first.table} row`)} ${group.length === 1 ? "points" : "point"} at a ${first.parent} that does not exist`,
      ids: { table: first.table, rowIds: group.flatMap((item) => (item.rowId === null ? [] : [item.rowId])) },
      repairable: false,
    };
  });
}

function migrationProblems(database: HealthReport["database"]): HealthProblem[] {
  const { pendingMigrations: pending, unknownMigrations: unknown } = database;
  const problems: HealthProblem[] = [];
  if (pending.length > 0) {
    problems.push(
      fileProblem(
        "migration",
        "warning",
        `${plural(pending.length, "migration")} not applied yet (${pending.join(", ")}); they are applied when LMStrix opens the database`,
      ),
    );
  }
  if (unknown.length > 0) {
    problems.push(
      fileProblem(
        "migration",
        "warning",
        `The database was migrated by a newer LMStrix (${unknown.join(", ")}); update LMStrix`,
      ),
    );
  }
  return problems;
}

function missingSnapshotProblem(snapshot: SnapshotInfo): HealthProblem {
  return {
    kind: "snapshot-missing",
    severity: "warning",
    message: `Snapshot ${snapshot.name} is listed but its file is gone; pruning forgets it`,
    ids: { snapshot: snapshot.name },
    repairable: false,
  };
}
