import { PROBE_HISTORY_LIMIT } from "@lmstrix/core";
import type { PrismaClient } from "@prisma/client";

const COMPARED_MODEL_SELECT = {
  id: true,
  hostId: true,
  modelKey: true,
  displayName: true,
  quantization: true,
  declaredContext: true,
  loadableLimit: true,
  effectiveLimit: true,
  effectiveThreshold: true,
  testStatus: true,
  lastTestedAt: true,
  isPresent: true,
} as const;

/** What the charts and the comfortable limit read of a probe: no prompt, reply or needles. */
const COMPARED_PROBE_SELECT = {
  id: true,
  modelId: true,
  runId: true,
  kind: true,
  contextRequested: true,
  contextApplied: true,
  outcome: true,
  loadMs: true,
  timeToFirstTokenMs: true,
  promptTokensPerSec: true,
  genTokensPerSec: true,
  startedAt: true,
  finishedAt: true,
} as const;

/**
 * Several models side by side, in the order of `ids`: each with its host, its newest probes (oldest first,
 * at most PROBE_HISTORY_LIMIT, as on its Model page) and its probe total. A fixed batch of queries however
 * many models (no query per model); `missingIds` are the ids no model has. Core's `compareModels` gives the
 * figures of each model's column.
 */
export async function readModelComparison(prisma: PrismaClient, ids: readonly number[]) {
  const placeholders = ids.map(() => "?").join(", ");
  const [models, cutoffs] = await Promise.all([
    prisma.model.findMany({ where: { id: { in: [...ids] } }, select: COMPARED_MODEL_SELECT }),
    // Per model, its probe total and its PROBE_HISTORY_LIMIT-th newest probe (or its oldest, with fewer):
    // one `take` over all of them would let a model re-tested for months crowd the others out.
    prisma.$queryRawUnsafe<{ modelId: number; id: number; startedAt: Date; total: number | bigint }[]>(
      `SELECT "modelId", "id", "startedAt", "total" FROM (
         SELECT "modelId", "id", "startedAt",
                ROW_NUMBER() OVER (PARTITION BY "modelId" ORDER BY "startedAt" DESC, "id" DESC) AS "rank",
                COUNT(*) OVER (PARTITION BY "modelId") AS "total"
         FROM "Probe" WHERE "modelId" IN (${placeholders})
       ) WHERE "rank" = MIN("total", ?)`,
      ...ids,
      PROBE_HISTORY_LIMIT,
    ),
  ]);
  const [hosts, probes] = await Promise.all([
    prisma.host.findMany({
      where: { id: { in: [...new Set(models.map((model) => model.hostId))] } },
      select: { id: true, name: true },
    }),
    cutoffs.length === 0
      ? []
      : prisma.probe.findMany({
          where: {
            OR: cutoffs.map((cutoff) => ({
              modelId: Number(cutoff.modelId),
              OR: [
                { startedAt: { gt: cutoff.startedAt } },
                { startedAt: cutoff.startedAt, id: { gte: Number(cutoff.id) } },
              ],
            })),
          },
          orderBy: [{ startedAt: "asc" }, { id: "asc" }],
          select: COMPARED_PROBE_SELECT,
        }),
  ]);
  const totals = new Map(cutoffs.map((row) => [Number(row.modelId), Number(row.total)]));
  const hostById = new Map(hosts.map((host) => [host.id, host]));
  const modelById = new Map(models.map((model) => [model.id, model]));
  const compared = ids.flatMap((id) => {
    const found = modelById.get(id);
    const host = found && hostById.get(found.hostId);
    if (!found || !host) return [];
    const { hostId: _hostId, ...model } = found;
    return [
      {
        ...model,
        host,
        probes: probes.filter((probe) => probe.modelId === id),
        probeTotal: totals.get(id) ?? 0,
      },
    ];
  });
  return {
    models: compared,
    missingIds: ids.filter((id) => !compared.some((model) => model.id === id)),
  };
}

export type StoredComparedModel = Awaited<ReturnType<typeof readModelComparison>>["models"][number];
