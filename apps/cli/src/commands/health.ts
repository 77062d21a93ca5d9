import {
  checkHealth,
  checkHealthOfFile,
  databasePath,
  type HealthReport,
  type RepairResult,
  releaseDeadLocalLeases,
  repairHealth,
} from "@lmstrix/db";
import type { Command } from "../args";
import { cliDataDir, openCliDatabase } from "../database";
import { EXIT } from "../errors";
import { renderHealthReport, renderRepair } from "../format/health-report";
import { snapshotJson } from "../format/snapshots-table";
import type { CommandContext } from "./context";

/** Problems that make the file itself unusable: `--repair` does not touch such a file. */
const UNREPAIRABLE_FILE = new Set(["unreadable", "integrity"]);

/**
 * `lmstrix health`: checks the database file on a connection of its own, without Prisma and without
 * migrating, so that it reports (and never crashes on) a damaged file; reading only. `--repair` then fixes
 * what is safe, after the library's `before-repair` snapshot, and reports the state after it. Exit 0 when
 * the database is healthy, 1 when warnings or errors remain.
 */
export async function healthCommand(
  command: Extract<Command, { name: "health" }>,
  { io, env }: CommandContext,
): Promise<number> {
  const dataDir = cliDataDir(env);
  const options = { leaseStaleMs: env.LMSTRIX_LEASE_STALE_MS };
  let report = await checkHealthOfFile(databasePath(dataDir), { ...options, dataDir });
  let repair: (RepairResult & { refused?: string }) | null = null;

  if (command.repair) {
    if (report.problems.some((problem) => UNREPAIRABLE_FILE.has(problem.kind))) {
      repair = {
        snapshot: null,
        changes: [],
        refused:
          "the database file is missing, damaged or not a database; repair only fixes data inside a sound file (restore a snapshot instead)",
      };
    } else {
      const database = await openCliDatabase(env);
      try {
        // A lease left by a killed lmstrix on this machine is released now rather than once it goes stale.
        await releaseDeadLocalLeases(database.store);
        repair = await repairHealth(database.db, { ...options, keep: env.LMSTRIX_SNAPSHOT_KEEP });
        report = await checkHealth(database.db, options);
      } finally {
        await database.close();
      }
    }
  }

  if (command.json) {
    io.stdout.write(`${JSON.stringify(healthJson(report, repair), null, 2)}\n`);
  } else {
    if (repair?.refused) io.stdout.write(`Repair refused: ${repair.refused}.\n\n`);
    else if (repair) io.stdout.write(`${renderRepair(repair)}\n`);
    io.stdout.write(renderHealthReport(report, { repaired: repair !== null }));
  }
  return report.status === "ok" ? EXIT.ok : EXIT.failure;
}

function healthJson(report: HealthReport, repair: (RepairResult & { refused?: string }) | null) {
  return {
    status: report.status,
    checkedAt: report.checkedAt.toISOString(),
    database: report.database,
    integrity: report.integrity,
    counts: report.counts,
    problems: report.problems,
    snapshots: report.snapshots.map(snapshotJson),
    repair:
      repair === null
        ? null
        : {
            snapshot: repair.snapshot ? snapshotJson(repair.snapshot) : null,
            changes: repair.changes,
            ...(repair.refused ? { refused: repair.refused } : {}),
          },
  };
}
