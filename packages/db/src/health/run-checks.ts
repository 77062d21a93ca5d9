import type { Client } from "@libsql/client";
import { z } from "zod";
import { queryRows, sqliteNumber, sqliteText } from "../sqlite-raw";
import { HEALTH_CHECKS } from "./checks";
import { RUNNING_RUNS_SQL, runningRunRow, staleReason } from "./stale-runs";
import type {
  HealthIds,
  HealthProblem,
  HealthProblemKind,
  HealthReport,
  HealthSettings,
  HealthSeverity,
} from "./types";

/** What every check may consult besides its rows: the settings and facts read once before the checks run. */
export interface CheckContext extends HealthSettings {
  /** `host "gpu-1"`, or `host "#3"` for a host id without a row. */
  hostLabel(hostId: number): string;
  /** Runs marked `running` whose worker is gone (`staleReason` says why). */
  staleRunIds: ReadonlySet<number>;
}

/** A problem as a check finds it in one row; the check's severity holds unless the row decides otherwise. */
export interface Finding {
  message: string;
  ids: HealthIds;
  severity?: HealthSeverity;
  /** `repairHealth` fixes it (default false). */
  repairable?: boolean;
}

/**
 * One validation check: SQL that selects the suspect rows, run on any file (no Prisma, no mappers that would
 * throw), each row parsed by `rowSchema`, then turned into problems (none, one, or one per bad column).
 */
export interface HealthCheck<Row = unknown> {
  kind: HealthProblemKind;
  severity: HealthSeverity;
  query: string;
  rowSchema: z.ZodType<Row>;
  toProblem(row: Row, context: CheckContext): Finding | Finding[] | null;
}

/** Types `toProblem`'s row from `rowSchema`. */
export function defineCheck<Row>(check: HealthCheck<Row>): HealthCheck<Row> {
  return check;
}

/** Runs every check of `HEALTH_CHECKS` on the file, in order. */
export async function dataProblems(client: Client, settings: HealthSettings): Promise<HealthProblem[]> {
  const context = await checkContext(client, settings);
  const problems: HealthProblem[] = [];
  for (const check of HEALTH_CHECKS) {
    for (const row of await queryRows(client, check.query, check.rowSchema)) {
      for (const finding of [check.toProblem(row, context) ?? []].flat()) {
        problems.push({
          kind: check.kind,
          severity: check.severity,
          ...finding,
          repairable: finding.repairable ?? false,
        });
      }
    }
  }
  return problems;
}

async function checkContext(client: Client, settings: HealthSettings): Promise<CheckContext> {
  const hosts = await queryRows(
    client,
    `SELECT id, name FROM "Host"`,
    z.object({ id: sqliteNumber, name: sqliteText }),
  );
  const hostNames = new Map(hosts.map((host) => [host.id, host.name]));
  const running = await queryRows(client, RUNNING_RUNS_SQL, runningRunRow);
  return {
    ...settings,
    hostLabel: (hostId) => `host "${hostNames.get(hostId) ?? `#${hostId}`}"`,
    staleRunIds: new Set(running.filter((run) => staleReason(run, settings) !== null).map((run) => run.id)),
  };
}

const countsRow = z.object({
  hosts: sqliteNumber,
  models: sqliteNumber,
  runs: sqliteNumber,
  probes: sqliteNumber,
});

export async function countRows(client: Client): Promise<HealthReport["counts"]> {
  const [counts] = await queryRows(
    client,
    `SELECT (SELECT count(*) FROM "Host") AS hosts, (SELECT count(*) FROM "Model") AS models,
            (SELECT count(*) FROM "Run") AS runs, (SELECT count(*) FROM "Probe") AS probes`,
    countsRow,
  );
  return counts ?? null;
}
