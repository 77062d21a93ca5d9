import { z } from "zod";
import { sqliteDate, sqliteNumber, sqliteText } from "../sqlite-raw";
import type { HealthSettings } from "./types";

/** Every run marked `running`, with its host's lease (`null` when no process holds one). */
export const RUNNING_RUNS_SQL = `SELECT r.id, r.hostId, l.hostId AS leaseHostId, l.holder, l.runId AS leaseRunId, l.heartbeatAt
  FROM "Run" r LEFT JOIN "HostLease" l ON l.hostId = r.hostId WHERE r.status = 'running'`;

export const runningRunRow = z
  .object({
    id: sqliteNumber,
    hostId: sqliteNumber,
    leaseHostId: sqliteNumber.nullable(),
    holder: sqliteText.nullable(),
    leaseRunId: sqliteNumber.nullable(),
    heartbeatAt: sqliteDate,
  })
  .transform(({ id, hostId, leaseHostId, holder, leaseRunId, heartbeatAt }) => ({
    id,
    hostId,
    lease: leaseHostId === null ? null : { holder, runId: leaseRunId, heartbeatAt },
  }));

export interface RunningRun {
  id: number;
  lease: { holder: string | null; runId: number | null; heartbeatAt: Date | null } | null;
}

/**
 * Why a run marked `running` has no live worker — no lease, a lease held for another run (or none), or a
 * heartbeat older than `leaseStaleMs` — or `null` while its worker is alive. The health check reports these
 * runs and the repair interrupts them, by this one rule.
 */
export function staleReason(run: RunningRun, { now, leaseStaleMs }: HealthSettings): string | null {
  const { lease } = run;
  if (!lease) return "no process holds the host's lease";
  if (lease.runId !== run.id) {
    return `the host's lease is held by ${lease.holder} for ${lease.runId === null ? "no run" : `run #${lease.runId}`}`;
  }
  const age = lease.heartbeatAt ? now.getTime() - lease.heartbeatAt.getTime() : null;
  if (age !== null && age < leaseStaleMs) return null;
  return `its worker ${lease.holder} last sent a heartbeat ${age === null ? "at an unknown time" : describeAge(age)}`;
}

function describeAge(ms: number): string {
  if (ms < 120_000) return `${Math.round(ms / 1000)} s ago`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min ago`;
  if (ms < 172_800_000) return `${Math.round(ms / 3_600_000)} h ago`;
  return `${Math.round(ms / 86_400_000)} days ago`;
}
