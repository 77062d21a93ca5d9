import type { SnapshotInfo } from "../snapshots/snapshot-info";

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

/** `HealthOptions` with the defaults filled in. */
export interface HealthSettings {
  leaseStaleMs: number;
  now: Date;
}
