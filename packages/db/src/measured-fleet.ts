import type { MeasuredFleet, MeasuredSpeed } from "@lmstrix/core";
import type { PrismaClient } from "@prisma/client";

/**
 * What the matrix and the finder read, for every host at once, in three statements whatever the fleet's size:
 * the hosts, the models they list now, and one generation speed per model, probe kind and window size (the
 * latest passing probe's; SQLite takes the bare columns of a MAX() aggregate from the row holding the max).
 */
export async function readMeasuredFleet(prisma: PrismaClient): Promise<MeasuredFleet> {
  const [hosts, models, speeds] = await Promise.all([
    prisma.host.findMany({ select: { id: true, name: true, lmStudioVersion: true } }),
    prisma.model.findMany({
      where: { isPresent: true },
      select: {
        id: true,
        hostId: true,
        modelKey: true,
        displayName: true,
        type: true,
        quantization: true,
        declaredContext: true,
        loadableLimit: true,
        effectiveLimit: true,
        testStatus: true,
        sizeBytes: true,
        modifiedAt: true,
        measuredLmStudioVersion: true,
        measuredSizeBytes: true,
        measuredModifiedAt: true,
      },
    }),
    prisma.$queryRaw<
      { modelId: number; context: number; kind: string; genTokensPerSec: number; id: number }[]
    >`
      SELECT p."modelId", COALESCE(p."contextApplied", p."contextRequested") AS context, p."kind",
             p."genTokensPerSec", MAX(p."id") AS id
        FROM "Probe" p
       WHERE p."outcome" = 'pass' AND p."genTokensPerSec" IS NOT NULL
         AND p."modelId" IN (SELECT "id" FROM "Model" WHERE "isPresent" = 1)
       GROUP BY p."modelId", p."kind", context`,
  ]);
  return {
    hosts,
    models: models.map((model) => ({ ...model, sizeBytes: Number(model.sizeBytes) })),
    speeds: speeds.map(
      (row): MeasuredSpeed => ({
        modelId: Number(row.modelId),
        context: Number(row.context),
        kind: row.kind,
        genTokensPerSec: Number(row.genTokensPerSec),
      }),
    ),
  };
}
