import { existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import type { Client } from "@libsql/client";
import {
  DEFAULT_LEASE_STALE_MS,
  FINISHED_RUN_STATUSES,
  MAX_CONTEXT,
  MIN_CONTEXT,
  modelTypeSchema,
  plural,
  probeKindSchema,
  probeOutcomeSchema,
  runModeSchema,
  runStatusSchema,
  testStatusSchema,
} from "@lmstrix/core";
import type { Prisma, PrismaClient } from "@prisma/client";
import { readMigrations } from "./migrate";
import {
  createSnapshot,
  DEFAULT_SNAPSHOT_KEEP,
  listSnapshotsIn,
  REQUIRED_TABLES,
  type SnapshotInfo,
} from "./snapshots";
import {
  type DatabaseHandle,
  errorMessage,
  fromSqliteDateTime,
  openRawClient,
  query,
  type Row,
} from "./sqlite-raw";

export type HealthStatus = "ok" | "warning" | "error";
/** `info` problems are worth showing but expected (an interrupted run that will resume); they never change the status. */
export type HealthSeverity = "error" | "warning" | "info";

export type HealthProblemKind =
  /** The file is missing, not a database, or cannot be opened. */
  | "unreadable"
  /** `PRAGMA integrity_check` found damage. */
  | "integrity"
  /** `PRAGMA foreign_key_check` found rows pointing at rows that do not exist. */
  | "foreign-key"
  /** A check could not run (its error is the message). */
  | "check-failed"
  /** Migrations pending, or the database was migrated by a newer LMStrix. */
  | "migration"
  /** A model's declared context, limit or last good/bad size is outside 1..10,000,000. */
  | "context-out-of-range"
  /** A loadable limit above the declared context that no probe proves (pass at ≥ it with applied ≥ it). */
  | "unproven-limit"
  /** Last known good ≥ last known bad. */
  | "good-not-below-bad"
  /** A status, mode, type, kind or outcome LMStrix does not know. */
  | "invalid-value"
  /** A run marked `running` whose host lease is missing, held for another run, or stale. */
  | "stale-running-run"
  /** A probe without an outcome whose run is not running. */
  | "open-probe"
  /** A model at `testing` that no running run is testing ("stuck in testing"). */
  | "orphan-testing"
  /** A recorded snapshot whose file is gone. */
  | "snapshot-missing";

export interface HealthIds {
  hostId?: number;
  modelId?: number;
  modelKey?: string;
  runId?: number;
  probeId?: number;
  snapshot?: string;
  table?: string;
  rowIds?: number[];
}

export interface HealthProblem {
  kind: HealthProblemKind;
  severity: HealthSeverity;
  /** One sentence a person understands, naming the host, model, run or probe. */
  message: string;
  ids: HealthIds;
  /** `repairHealth` fixes it. */
  repairable: boolean;
}

export interface ForeignKeyViolation {
  table: string;
  rowId: number | null;
  parent: string;
}

export interface HealthReport {
  status: HealthStatus;
  checkedAt: Date;
  database: {
    path: string;
    /** The main file; `walBytes` is the write-ahead log beside it. */
    sizeBytes: number;
    walBytes: number;
    migrationVersion: string | null;
    latestMigration: string | null;
    pendingMigrations: string[];
    /** Applied migrations this LMStrix does not have (the database is newer than the code). */
    unknownMigrations: string[];
  };
  integrity: {
    ok: boolean;
    /** `PRAGMA integrity_check` lines (`["ok"]` when healthy), or the error that stopped it. */
    result: string[];
    foreignKeyViolations: ForeignKeyViolation[];
  };
  counts: { hosts: number; models: number; runs: number; probes: number } | null;
  problems: HealthProblem[];
  snapshots: SnapshotInfo[];
}

export interface HealthOptions {
  /** A run's lease older than this is dead (the queue's `DEFAULT_LEASE_STALE_MS` unless the app set another). */
  leaseStaleMs?: number;
  now?: Date;
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
  const now = options.now ?? new Date();
  const leaseStaleMs = options.leaseStaleMs ?? DEFAULT_LEASE_STALE_MS;
  const dataDir = options.dataDir ?? path.dirname(file);
  const problems: HealthProblem[] = [];
  const report: HealthReport = {
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
    problems,
    snapshots: [],
  };
  const guard = async (what: string, check: () => Promise<void>) => {
    try {
      await check();
    } catch (error) {
      problems.push({
        kind: "check-failed",
        severity: "error",
        message: `Could not check ${what}: ${errorMessage(error)}`,
        ids: {},
        repairable: false,
      });
    }
  };

  let snapshotRows: Row[] = [];
  if (!existsSync(file)) {
    problems.push(unreadable(`There is no database file at ${report.database.path}`));
  } else {
    report.database.sizeBytes = (await stat(file).catch(() => null))?.size ?? 0;
    report.database.walBytes = (await stat(`${file}-wal`).catch(() => null))?.size ?? 0;
    let client: Client | null = null;
    try {
      client = await openRawClient(file);
    } catch (error) {
      problems.push(unreadable(`The database file cannot be opened: ${errorMessage(error)}`));
    }
    if (client) {
      const open = client;
      try {
        let readable = true;
        try {
          const lines = (await query(open, "PRAGMA integrity_check")).map((row) =>
            String(Object.values(row)[0]),
          );
          report.integrity.result = lines;
          report.integrity.ok = lines.length === 1 && lines[0] === "ok";
          if (!report.integrity.ok) {
            problems.push({
              kind: "integrity",
              severity: "error",
              message: `The database is damaged (integrity check: ${lines.slice(0, 5).join("; ")}${lines.length > 5 ? "; …" : ""}); restore a snapshot`,
              ids: {},
              repairable: false,
            });
          }
        } catch (error) {
          readable = false;
          report.integrity.result = [errorMessage(error)];
          problems.push(unreadable(`The database file is damaged or not a database: ${errorMessage(error)}`));
        }
        if (readable) {
          const tables = new Set(
            (await query(open, "SELECT name FROM sqlite_master WHERE type = 'table'")).map((row) =>
              String(row.name),
            ),
          );
          const lacking = [...REQUIRED_TABLES, "_prisma_migrations"].filter((table) => !tables.has(table));
          if (lacking.length > 0) {
            readable = false;
            problems.push(
              unreadable(
                tables.size === 0
                  ? "The database is empty: no LMStrix tables (a copy of a WAL database without its -wal file looks like this)"
                  : `This is not an LMStrix database, or it is incomplete: no table ${lacking.join(", ")}`,
              ),
            );
          }
        }
        if (readable) {
          await guard("foreign keys", async () => {
            const violations = await query(open, "PRAGMA foreign_key_check");
            report.integrity.foreignKeyViolations = violations.map((row) => ({
              table: String(row.table),
              rowId: row.rowid === null || row.rowid === undefined ? null : Number(row.rowid),
              parent: String(row.parent),
            }));
            problems.push(...foreignKeyProblems(report.integrity.foreignKeyViolations));
          });
          await guard("migrations", async () => {
            const known = (await readMigrations()).map((migration) => migration.name);
            const applied = (
              await query(
                open,
                `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
              )
            ).map((row) => String(row.migration_name));
            report.database.migrationVersion = applied.at(-1) ?? null;
            report.database.latestMigration = known.at(-1) ?? null;
            report.database.pendingMigrations = known.filter((name) => !applied.includes(name));
            report.database.unknownMigrations = applied.filter((name) => !known.includes(name));
            if (report.database.pendingMigrations.length > 0) {
              problems.push({
                kind: "migration",
                severity: "warning",
                message: `${plural(report.database.pendingMigrations.length, "migration")} not applied yet (${report.database.pendingMigrations.join(", ")}); they are applied when LMStrix opens the database`,
                ids: {},
                repairable: false,
              });
            }
            if (report.database.unknownMigrations.length > 0) {
              problems.push({
                kind: "migration",
                severity: "warning",
                message: `The database was migrated by a newer LMStrix (${report.database.unknownMigrations.join(", ")}); update LMStrix`,
                ids: {},
                repairable: false,
              });
            }
          });
          await guard("the data", async () => {
            report.counts = await countRows(open);
            problems.push(...(await dataProblems(open, { now, leaseStaleMs })));
          });
          await guard("the snapshot list", async () => {
            snapshotRows = await query(open, `SELECT file, sizeBytes, reason, createdAt FROM "Snapshot"`);
          });
        }
      } finally {
        open.close();
      }
    }
  }
  await guard("the snapshot folder", async () => {
    report.snapshots = await listSnapshotsIn(
      dataDir,
      snapshotRows.map((row) => ({
        file: String(row.file),
        sizeBytes: Number(row.sizeBytes ?? 0),
        reason: String(row.reason),
        createdAt: fromSqliteDateTime(row.createdAt) ?? new Date(0),
      })),
      now,
    );
    for (const snapshot of report.snapshots.filter((item) => item.missing)) {
      problems.push({
        kind: "snapshot-missing",
        severity: "warning",
        message: `Snapshot ${snapshot.name} is listed but its file is gone; pruning forgets it`,
        ids: { snapshot: snapshot.name },
        repairable: false,
      });
    }
  });
  report.status = problems.some((problem) => problem.severity === "error")
    ? "error"
    : problems.some((problem) => problem.severity === "warning")
      ? "warning"
      : "ok";
  return report;
}

function unreadable(message: string): HealthProblem {
  return { kind: "unreadable", severity: "error", message, ids: {}, repairable: false };
}

function foreignKeyProblems(violations: ForeignKeyViolation[]): HealthProblem[] {
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

async function countRows(client: Client): Promise<NonNullable<HealthReport["counts"]>> {
  const [row] = await query(
    client,
    `SELECT (SELECT count(*) FROM "Host") AS hosts, (SELECT count(*) FROM "Model") AS models,
            (SELECT count(*) FROM "Run") AS runs, (SELECT count(*) FROM "Probe") AS probes`,
  );
  return {
    hosts: Number(row?.hosts ?? 0),
    models: Number(row?.models ?? 0),
    runs: Number(row?.runs ?? 0),
    probes: Number(row?.probes ?? 0),
  };
}

const formatNumber = (value: number) => value.toLocaleString("en-US");

/** The validation checks, in SQL so that they run on any file (no Prisma, no mappers that would throw). */
async function dataProblems(
  client: Client,
  options: { now: Date; leaseStaleMs: number },
): Promise<HealthProblem[]> {
  const problems: HealthProblem[] = [];
  const hostNames = new Map(
    (await query(client, `SELECT id, name FROM "Host"`)).map((row) => [Number(row.id), String(row.name)]),
  );
  const host = (id: unknown) => `host "${hostNames.get(Number(id)) ?? `#${id}`}"`;
  const modelLabel = (row: Row) => `Model "${row.modelKey}" on ${host(row.hostId)}`;
  const modelIds = (row: Row): HealthIds => ({
    hostId: Number(row.hostId),
    modelId: Number(row.id),
    modelKey: String(row.modelKey),
  });

  const contextColumns = [
    ["declaredContext", "declared context"],
    ["loadableLimit", "loadable limit"],
    ["effectiveLimit", "effective limit"],
    ["lastGoodContext", "last known good context"],
    ["lastBadContext", "last known bad context"],
  ] as const;
  const outside = contextColumns
    .map(
      ([column]) =>
        `("${column}" IS NOT NULL AND (typeof("${column}") != 'integer' OR "${column}" < ${MIN_CONTEXT} OR "${column}" > ${MAX_CONTEXT}))`,
    )
    .join(" OR ");
  for (const row of await query(
    client,
    `SELECT id, hostId, modelKey, ${contextColumns.map(([column]) => `"${column}"`).join(", ")} FROM "Model" WHERE ${outside}`,
  )) {
    for (const [column, label] of contextColumns) {
      const value = row[column];
      if (value === null || value === undefined) continue;
      const number = typeof value === "number" ? value : Number.NaN;
      if (Number.isInteger(number) && number >= MIN_CONTEXT && number <= MAX_CONTEXT) continue;
      problems.push({
        kind: "context-out-of-range",
        severity: "error",
        message: `${modelLabel(row)}: ${label} ${JSON.stringify(value)} is outside ${formatNumber(MIN_CONTEXT)}..${formatNumber(MAX_CONTEXT)}`,
        ids: modelIds(row),
        repairable: false,
      });
    }
  }

  for (const row of await query(
    client,
    `SELECT m.id, m.hostId, m.modelKey, m.loadableLimit, m.declaredContext FROM "Model" m
     WHERE m.loadableLimit > m.declaredContext AND NOT EXISTS (
       SELECT 1 FROM "Probe" p WHERE p.modelId = m.id AND p.outcome = 'pass'
         AND p.contextRequested >= m.loadableLimit AND p.contextApplied >= m.loadableLimit)`,
  )) {
    problems.push({
      kind: "unproven-limit",
      severity: "warning",
      message: `${modelLabel(row)}: loadable limit ${formatNumber(Number(row.loadableLimit))} is above the declared ${formatNumber(Number(row.declaredContext))}, and no passing probe at that size had it applied (imported lmstrix values never record the applied size); test it again`,
      ids: modelIds(row),
      repairable: false,
    });
  }

  for (const row of await query(
    client,
    `SELECT id, hostId, modelKey, lastGoodContext, lastBadContext FROM "Model"
     WHERE lastGoodContext IS NOT NULL AND lastBadContext IS NOT NULL AND lastGoodContext >= lastBadContext
       AND testStatus != 'testing'`,
  )) {
    problems.push({
      kind: "good-not-below-bad",
      severity: "warning",
      message: `${modelLabel(row)}: last known good ${formatNumber(Number(row.lastGoodContext))} is not below last known bad ${formatNumber(Number(row.lastBadContext))}; one of them is wrong, test it again`,
      ids: modelIds(row),
      repairable: false,
    });
  }

  const enumChecks = [
    ["Model", "testStatus", testStatusSchema.options, false],
    ["Model", "type", modelTypeSchema.options, false],
    ["Run", "status", runStatusSchema.options, false],
    ["Run", "mode", runModeSchema.options, false],
    ["Probe", "kind", probeKindSchema.options, false],
    ["Probe", "outcome", probeOutcomeSchema.options, true],
  ] as const;
  for (const [table, column, values, nullable] of enumChecks) {
    const allowed = values.map((value) => `'${value}'`).join(", ");
    const rows = await query(
      client,
      `SELECT id, "${column}" AS value FROM "${table}" WHERE ${nullable ? `"${column}" IS NOT NULL AND ` : ""}"${column}" NOT IN (${allowed}) LIMIT 100`,
    );
    for (const row of rows) {
      problems.push({
        kind: "invalid-value",
        severity: "error",
        message: `${table} #${row.id}: ${column} ${JSON.stringify(row.value)} is not one of ${values.join(", ")}`,
        ids: { table, rowIds: [Number(row.id)] },
        repairable: false,
      });
    }
  }

  const leases = new Map(
    (await query(client, `SELECT hostId, holder, runId, heartbeatAt FROM "HostLease"`)).map((row) => [
      Number(row.hostId),
      row,
    ]),
  );
  const staleRuns = new Set<number>();
  for (const run of await query(client, `SELECT id, hostId, startedAt FROM "Run" WHERE status = 'running'`)) {
    const lease = leases.get(Number(run.hostId));
    const heartbeat = lease ? fromSqliteDateTime(lease.heartbeatAt) : null;
    const why = !lease
      ? "no process holds the host's lease"
      : Number(lease.runId) !== Number(run.id)
        ? `the host's lease is held by ${lease.holder} for ${lease.runId === null ? "no run" : `run #${lease.runId}`}`
        : !heartbeat || options.now.getTime() - heartbeat.getTime() >= options.leaseStaleMs
          ? `its worker ${lease.holder} last sent a heartbeat ${heartbeat ? describeAge(options.now.getTime() - heartbeat.getTime()) : "at an unknown time"}`
          : null;
    if (why === null) continue;
    staleRuns.add(Number(run.id));
    problems.push({
      kind: "stale-running-run",
      severity: "warning",
      message: `Run #${run.id} on ${host(run.hostId)} is marked running but ${why}; repair marks it interrupted so that it resumes`,
      ids: { hostId: Number(run.hostId), runId: Number(run.id) },
      repairable: true,
    });
  }

  for (const row of await query(
    client,
    `SELECT p.id, p.runId, p.modelId, p.contextRequested, r.status AS runStatus, m.modelKey, m.hostId
     FROM "Probe" p JOIN "Run" r ON r.id = p.runId JOIN "Model" m ON m.id = p.modelId
     WHERE p.outcome IS NULL AND r.status != 'running'`,
  )) {
    const finished = (FINISHED_RUN_STATUSES as readonly string[]).includes(String(row.runStatus));
    problems.push({
      kind: "open-probe",
      severity: finished ? "warning" : "info",
      message: `Probe #${row.id} of "${row.modelKey}" at ${formatNumber(Number(row.contextRequested))} in run #${row.runId} (${row.runStatus}) has no outcome; ${
        finished ? "repair marks it cancelled" : "it is taken up again when the run resumes"
      }`,
      ids: {
        hostId: Number(row.hostId),
        modelId: Number(row.modelId),
        modelKey: String(row.modelKey),
        runId: Number(row.runId),
        probeId: Number(row.id),
      },
      repairable: finished,
    });
  }

  for (const row of await query(
    client,
    `SELECT m.id, m.hostId, m.modelKey,
       (SELECT group_concat(r.id || ':' || r.status) FROM "Probe" p JOIN "Run" r ON r.id = p.runId
         WHERE p.modelId = m.id AND r.status IN ('running', 'interrupted')) AS holders
     FROM "Model" m WHERE m.testStatus = 'testing'`,
  )) {
    const holders = String(row.holders ?? "")
      .split(",")
      .filter(Boolean)
      .map((item) => item.split(":"));
    const live = holders.find(([id, status]) => status === "running" && !staleRuns.has(Number(id)));
    if (live) continue;
    const resuming = holders.find(([id, status]) => status === "interrupted" || staleRuns.has(Number(id)));
    problems.push({
      kind: "orphan-testing",
      severity: resuming ? "info" : "warning",
      message: resuming
        ? `${modelLabel(row)} is at "testing" for interrupted run #${resuming[0]}, which resumes it`
        : `${modelLabel(row)} is stuck at "testing" but no run is testing it; repair sets it back to what its results say`,
      ids: modelIds(row),
      repairable: !resuming,
    });
  }
  return problems;
}

function describeAge(ms: number): string {
  if (ms < 120_000) return `${Math.round(ms / 1000)} s ago`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min ago`;
  if (ms < 172_800_000) return `${Math.round(ms / 3_600_000)} h ago`;
  return `${Math.round(ms / 86_400_000)} days ago`;
}

export type RepairKind = "run-interrupted" | "model-settled" | "probe-cancelled";

export interface RepairChange {
  kind: RepairKind;
  message: string;
  ids: HealthIds;
}

export interface RepairResult {
  /** The `before-repair` snapshot, or `null` when there was nothing to repair. */
  snapshot: SnapshotInfo | null;
  changes: RepairChange[];
}

type PrismaLike = PrismaClient | Prisma.TransactionClient;

/**
 * Fixes what is safe to fix, after a `before-repair` snapshot (none when nothing needs fixing), in one
 * transaction: runs `running` without a live lease become `interrupted` with a `run.interrupted` event (the
 * queue resumes them, like after a crash); models at `testing` with no running or interrupted run holding
 * them go back to what their results say (`completed` with a loadable limit, else `failed` with an error,
 * else `untested`); probes left open by a finished run are closed as `cancelled`. Damage, foreign keys and
 * out-of-range values are not touched: those need a restore or a retest.
 */
export async function repairHealth(
  db: DatabaseHandle,
  options: HealthOptions & { keep?: number } = {},
): Promise<RepairResult> {
  const settings = {
    now: options.now ?? new Date(),
    leaseStaleMs: options.leaseStaleMs ?? DEFAULT_LEASE_STALE_MS,
  };
  const planned = await repairIn(db.prisma, settings, false);
  if (planned.length === 0) return { snapshot: null, changes: [] };
  const snapshot = await createSnapshot(db, "before-repair", { keep: options.keep ?? DEFAULT_SNAPSHOT_KEEP });
  const changes = await db.prisma.$transaction(
    async (tx) => {
      // Take the write lock first, so that nothing changes between what is read here and what is written.
      await tx.$executeRawUnsafe(`UPDATE "Run" SET "status" = "status" WHERE 0`);
      return repairIn(tx, settings, true);
    },
    { timeout: 60_000, maxWait: 15_000 },
  );
  return { snapshot, changes };
}

async function repairIn(
  client: PrismaLike,
  options: { now: Date; leaseStaleMs: number },
  apply: boolean,
): Promise<RepairChange[]> {
  const changes: RepairChange[] = [];
  const { now } = options;

  const running = await client.run.findMany({ where: { status: "running" }, include: { host: true } });
  const leases = new Map((await client.hostLease.findMany()).map((lease) => [lease.hostId, lease]));
  const interrupted = new Set<number>();
  for (const run of running) {
    const lease = leases.get(run.hostId);
    const isAlive =
      lease !== undefined &&
      lease.runId === run.id &&
      now.getTime() - lease.heartbeatAt.getTime() < options.leaseStaleMs;
    if (isAlive) continue;
    interrupted.add(run.id);
    const message = "The process running it stopped (found by the health check)";
    if (apply) {
      await client.run.update({ where: { id: run.id }, data: { status: "interrupted", message } });
      await client.runEvent.create({
        data: {
          runId: run.id,
          type: "run.interrupted",
          payloadJson: JSON.stringify({
            message: `${message}; it will resume`,
            repairedBy: "health",
            ...(lease?.runId === run.id ? { lastAliveAt: lease.heartbeatAt.toISOString() } : {}),
          }),
          createdAt: now,
        },
      });
    }
    changes.push({
      kind: "run-interrupted",
      message: `Run #${run.id} on host "${run.host.name}" was running without a live worker: now interrupted, it resumes with the queue`,
      ids: { hostId: run.hostId, runId: run.id },
    });
  }
  const effectiveStatus = (run: { id: number; status: string }) =>
    interrupted.has(run.id) ? "interrupted" : run.status;

  const testing = await client.model.findMany({ where: { testStatus: "testing" }, include: { host: true } });
  if (testing.length > 0) {
    const probes = await client.probe.findMany({
      where: { modelId: { in: testing.map((model) => model.id) } },
      select: { modelId: true, run: { select: { id: true, status: true } } },
    });
    for (const model of testing) {
      const held = probes.some(
        (probe) =>
          probe.modelId === model.id && ["running", "interrupted"].includes(effectiveStatus(probe.run)),
      );
      if (held) continue;
      const status =
        model.loadableLimit !== null ? "completed" : model.errorCategory !== null ? "failed" : "untested";
      if (apply) await client.model.update({ where: { id: model.id }, data: { testStatus: status } });
      changes.push({
        kind: "model-settled",
        message: `Model "${model.modelKey}" on host "${model.host.name}" was stuck at "testing": now "${status}"`,
        ids: { hostId: model.hostId, modelId: model.id, modelKey: model.modelKey },
      });
    }
  }

  const open = await client.probe.findMany({
    where: { outcome: null },
    include: {
      run: { select: { id: true, status: true } },
      model: { select: { modelKey: true, hostId: true } },
    },
  });
  for (const probe of open) {
    const status = effectiveStatus(probe.run);
    if (!(FINISHED_RUN_STATUSES as readonly string[]).includes(status)) continue;
    if (apply) {
      await client.probe.update({
        where: { id: probe.id },
        data: {
          outcome: "cancelled",
          errorMessage: `The run ended (${status}) before this probe finished; closed by the health check`,
          finishedAt: now,
        },
      });
    }
    changes.push({
      kind: "probe-cancelled",
      message: `Probe #${probe.id} of "${probe.model.modelKey}" at ${formatNumber(probe.contextRequested)} in ${status} run #${probe.run.id} had no outcome: now cancelled`,
      ids: {
        hostId: probe.model.hostId,
        modelKey: probe.model.modelKey,
        runId: probe.run.id,
        probeId: probe.id,
        modelId: probe.modelId,
      },
    });
  }
  return changes;
}
