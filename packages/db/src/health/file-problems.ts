import type { SnapshotInfo } from "../snapshots";
import type {
  ForeignKeyViolation,
  HealthProblem,
  HealthProblemKind,
  HealthReport,
  HealthSeverity,
} from "./types";

/** A problem of the file as a whole: no ids, nothing `repairHealth` can fix. */
export function fileProblem(
  kind: HealthProblemKind,
  severity: HealthSeverity,
  message: string,
): HealthProblem {
  return { kind, severity, message, ids: {}, repairable: false };
}

export const unreadable = (message: string) => fileProblem("unreadable", "error", message);

export function damaged(integrityLines: readonly string[]): HealthProblem {
  const shown = `${integrityLines.slice(0, 5).join("; ")}${integrityLines.length > 5 ? "; …" : ""}`;
  return fileProblem(
    "integrity",
    "error",
    `The database is damaged (integrity check: ${shown}); restore a snapshot`,
  );
}

/** One problem per table and missing parent, with the ids of the rows that point nowhere. */
export function foreignKeyProblems(violations: readonly ForeignKeyViolation[]): HealthProblem[] {
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
      message: `${group.length} ${first.table} row(s) point at a ${first.parent} that does not exist`,
      ids: { table: first.table, rowIds: group.flatMap((item) => (item.rowId === null ? [] : [item.rowId])) },
      repairable: false,
    };
  });
}

export function migrationProblems(database: HealthReport["database"]): HealthProblem[] {
  const { pendingMigrations: pending, unknownMigrations: unknown } = database;
  const problems: HealthProblem[] = [];
  if (pending.length > 0) {
    problems.push(
      fileProblem(
        "migration",
        "warning",
        `${pending.length} migration(s) not applied yet (${pending.join(", ")}); they are applied when LMStrix opens the database`,
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

export function missingSnapshotProblem(snapshot: SnapshotInfo): HealthProblem {
  return {
    kind: "snapshot-missing",
    severity: "warning",
    message: `Snapshot ${snapshot.name} is listed but its file is gone; pruning forgets it`,
    ids: { snapshot: snapshot.name },
    repairable: false,
  };
}
