import { isFinishedRunStatus } from "@lmstrix/core";
import type { Prisma, PrismaClient } from "@prisma/client";
import { eventPayloadJson } from "../mappers";
import { createSnapshot } from "../snapshots/create";
import { DEFAULT_SNAPSHOT_KEEP, type SnapshotInfo } from "../snapshots/snapshot-info";
import type { DatabaseHandle } from "../sqlite-raw";
import { formatNumber } from "./checks";
import { healthSettings } from "./report";
import { staleReason } from "./stale-runs";
import type { HealthIds, HealthOptions, HealthSettings } from "./types";

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

/** One pass of the repair: works out the changes and, with `apply`, makes them. */
interface RepairPass {
  client: PrismaLike;
  settings: HealthSettings;
  apply: boolean;
}

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
  const settings = healthSettings(options);
  const planned = await repair({ client: db.prisma, settings, apply: false });
  if (planned.length === 0) return { snapshot: null, changes: [] };
  const snapshot = await createSnapshot(db, "before-repair", { keep: options.keep ?? DEFAULT_SNAPSHOT_KEEP });
  const changes = await db.prisma.$transaction(
    async (tx) => {
      // Take the write lock first, so that nothing changes between what is read here and what is written.
      await tx.$executeRawUnsafe(`UPDATE "Run" SET "status" = "status" WHERE 0`);
      return repair({ client: tx, settings, apply: true });
    },
    { timeout: 60_000, maxWait: 15_000 },
  );
  return { snapshot, changes };
}

async function repair(pass: RepairPass): Promise<RepairChange[]> {
  const interrupted = await interruptStaleRuns(pass);
  const statusOf = (run: { id: number; status: string }) =>
    interrupted.has(run.id) ? "interrupted" : run.status;
  return [
    ...interrupted.values(),
    ...(await settleOrphanModels(pass, statusOf)),
    ...(await closeOpenProbes(pass, statusOf)),
  ];
}

/** Runs `running` without a live worker become `interrupted`; returns their changes by run id. */
async function interruptStaleRuns({
  client,
  settings,
  apply,
}: RepairPass): Promise<Map<number, RepairChange>> {
  const running = await client.run.findMany({ where: { status: "running" }, include: { host: true } });
  const leases = new Map((await client.hostLease.findMany()).map((lease) => [lease.hostId, lease]));
  const changes = new Map<number, RepairChange>();
  for (const run of running) {
    const lease = leases.get(run.hostId) ?? null;
    if (staleReason({ id: run.id, lease }, settings) === null) continue;
    const message = "The process running it stopped (found by the health check)";
    if (apply) {
      await client.run.update({ where: { id: run.id }, data: { status: "interrupted", message } });
      await client.runEvent.create({
        data: {
          runId: run.id,
          type: "run.interrupted",
          payloadJson: eventPayloadJson("run.interrupted", {
            message: `${message}; it will resume`,
            repairedBy: "health",
            ...(lease?.runId === run.id ? { lastAliveAt: lease.heartbeatAt.toISOString() } : {}),
          }),
          createdAt: settings.now,
        },
      });
    }
    changes.set(run.id, {
      kind: "run-interrupted",
      message: `Run #${run.id} on host "${run.host.name}" was running without a live worker: now interrupted, it resumes with the queue`,
      ids: { hostId: run.hostId, runId: run.id },
    });
  }
  return changes;
}

type RunStatusOf = (run: { id: number; status: string }) => string;

/** Models at `testing` that no running or interrupted run holds go back to what their results say. */
async function settleOrphanModels(
  { client, apply }: RepairPass,
  statusOf: RunStatusOf,
): Promise<RepairChange[]> {
  const testing = await client.model.findMany({ where: { testStatus: "testing" }, include: { host: true } });
  if (testing.length === 0) return [];
  const probes = await client.probe.findMany({
    where: { modelId: { in: testing.map((model) => model.id) } },
    select: { modelId: true, run: { select: { id: true, status: true } } },
  });
  const held = new Set(
    probes
      .filter((probe) => ["running", "interrupted"].includes(statusOf(probe.run)))
      .map((probe) => probe.modelId),
  );
  const changes: RepairChange[] = [];
  for (const model of testing.filter((candidate) => !held.has(candidate.id))) {
    const status =
      model.loadableLimit !== null ? "completed" : model.errorCategory !== null ? "failed" : "untested";
    if (apply) await client.model.update({ where: { id: model.id }, data: { testStatus: status } });
    changes.push({
      kind: "model-settled",
      message: `Model "${model.modelKey}" on host "${model.host.name}" was stuck at "testing": now "${status}"`,
      ids: { hostId: model.hostId, modelId: model.id, modelKey: model.modelKey },
    });
  }
  return changes;
}

/** Probes left without an outcome by a finished run are closed as `cancelled`. */
async function closeOpenProbes(
  { client, settings, apply }: RepairPass,
  statusOf: RunStatusOf,
): Promise<RepairChange[]> {
  const open = await client.probe.findMany({
    where: { outcome: null },
    include: {
      run: { select: { id: true, status: true } },
      model: { select: { modelKey: true, hostId: true } },
    },
  });
  const changes: RepairChange[] = [];
  for (const probe of open) {
    const status = statusOf(probe.run);
    if (!isFinishedRunStatus(status)) continue;
    if (apply) {
      await client.probe.update({
        where: { id: probe.id },
        data: {
          outcome: "cancelled",
          errorMessage: `The run ended (${status}) before this probe finished; closed by the health check`,
          finishedAt: settings.now,
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
