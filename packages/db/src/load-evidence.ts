import type { LoadEvidence } from "@lmstrix/core";
import type { PrismaClient } from "@prisma/client";

/**
 * Every finished load probe of a host's models (any run), oldest first, with the model facts and the memory
 * figures the host stated: the `fit` search's evidence (core's `host-evidence.ts`).
 */
export async function listLoadEvidence(prisma: PrismaClient, hostId: number): Promise<LoadEvidence[]> {
  const rows = await prisma.probe.findMany({
    where: { kind: "loadable", outcome: { in: ["pass", "fail"] }, model: { hostId } },
    select: {
      id: true,
      runId: true,
      modelId: true,
      contextRequested: true,
      contextApplied: true,
      outcome: true,
      errorCategory: true,
      requiredBytes: true,
      failedKvCacheBytes: true,
      promptTokensPerSec: true,
      genTokensPerSec: true,
      model: { select: { modelKey: true, sizeBytes: true, architecture: true, params: true } },
    },
    orderBy: { id: "asc" },
  });
  return rows.map((row) => ({
    probeId: row.id,
    runId: row.runId,
    modelId: row.modelId,
    modelKey: row.model.modelKey,
    sizeBytes: Number(row.model.sizeBytes),
    contextRequested: row.contextRequested,
    contextApplied: row.contextApplied,
    outcome: row.outcome === "pass" ? "pass" : "fail",
    errorCategory: row.errorCategory,
    requiredBytes: row.requiredBytes,
    // Only where the host reported them (the model's shape) or the probe measured them (a failed load has no
    // speeds; only a load out of memory without a guardrail names a KV cache).
    ...(row.model.architecture !== null && { architecture: row.model.architecture }),
    ...(row.model.params !== null && { params: row.model.params }),
    ...(row.failedKvCacheBytes !== null && { failedKvCacheBytes: row.failedKvCacheBytes }),
    ...(row.promptTokensPerSec !== null && { promptTokensPerSec: row.promptTokensPerSec }),
    ...(row.genTokensPerSec !== null && { genTokensPerSec: row.genTokensPerSec }),
  }));
}
