import type { HostTimings } from "@lmstrix/core";
import type { PrismaClient } from "@prisma/client";

/** Enough recent probes for a stable mean, few enough to read at every page view. */
const RECENT_PROBES = 500;

/**
 * What the host's earlier runs say about its speed, for the time-left estimate of a run that has no figure
 * of its own yet: the mean wall time of its recent probes, and the mean number of probes a model's search took
 * in those runs. Cancelled probes (a skip, a cancel) measured nothing and are left out; so is `excludeRunId`.
 */
export async function hostTimings(
  { prisma }: { prisma: PrismaClient },
  hostId: number,
  excludeRunId?: number,
): Promise<HostTimings> {
  const probes = await prisma.probe.findMany({
    where: {
      run: { hostId, ...(excludeRunId !== undefined && { id: { not: excludeRunId } }) },
      finishedAt: { not: null },
      outcome: { in: ["pass", "fail", "error"] },
    },
    orderBy: { id: "desc" },
    take: RECENT_PROBES,
    select: { runId: true, modelId: true, startedAt: true, finishedAt: true },
  });
  if (probes.length === 0) return { probeMs: null, probesPerModel: null };
  const totalMs = probes.reduce(
    (sum, probe) => sum + Math.max(0, (probe.finishedAt?.getTime() ?? 0) - probe.startedAt.getTime()),
    0,
  );
  const searches = new Set(probes.map((probe) => `${probe.runId}:${probe.modelId}`));
  return { probeMs: Math.round(totalMs / probes.length), probesPerModel: probes.length / searches.size };
}
