import "server-only";
import { parseRunEvent, runOptionsSchema } from "@lmstrix/core";
import { type PrismaClient, toRunEventRow } from "@lmstrix/db";

/** One run's measurement of a model's effective limit, as its `model.finished` event reported it. */
export interface EffectiveRunLimit {
  runId: number;
  /** The limit found; null when the run found none (even its smallest filled check fell short). */
  effectiveLimit: number | null;
  /** Where the engine reports it: the limit (`low`) and the smallest size shown to fall short (`high`). */
  effectiveRange: { low: number; high: number } | null;
  /** The share of needles the run's filled checks had to recall. */
  recallThreshold: number;
  /** With no limit: false when the search had no result (a filled check failed to run); unknown on older runs. */
  noneFound?: boolean;
  finishedAt: Date;
}

/** A run's recall threshold, from its stored options (with the defaults of its day filled in). */
export function recallThresholdOf(optionsJson: string): number | null {
  try {
    const options = runOptionsSchema.safeParse(JSON.parse(optionsJson));
    return options.success && options.data.effective ? options.data.recallThreshold : null;
  } catch {
    return null;
  }
}

/**
 * Every run among `runIds` that measured `modelKey`'s effective limit, oldest first: repeated runs of a
 * noisy measurement spread, and the page shows each one, not only the last.
 */
export async function readEffectiveRuns(
  prisma: PrismaClient,
  modelKey: string,
  runs: readonly { id: number; optionsJson: string }[],
): Promise<EffectiveRunLimit[]> {
  if (runs.length === 0) return [];
  const thresholds = new Map(runs.map((run) => [run.id, recallThresholdOf(run.optionsJson)]));
  const rows = await prisma.runEvent.findMany({
    // Only runs with the effective check write the field: the other runs' events are not read at all.
    where: {
      runId: { in: runs.map((run) => run.id) },
      type: "model.finished",
      payloadJson: { contains: '"effectiveLimit"' },
    },
    orderBy: { id: "asc" },
    select: { id: true, runId: true, type: true, payloadJson: true, createdAt: true },
  });
  const limits: EffectiveRunLimit[] = [];
  for (const row of rows) {
    const event = parseRunEvent(toRunEventRow(row));
    if (event?.type !== "model.finished" || event.payload.modelKey !== modelKey) continue;
    const { effectiveLimit, effectiveRange, effectiveNoneFound } = event.payload;
    const recallThreshold = thresholds.get(row.runId);
    if (effectiveLimit === undefined || recallThreshold == null) continue;
    limits.push({
      runId: row.runId,
      effectiveLimit,
      effectiveRange: effectiveRange ?? null,
      recallThreshold,
      ...(effectiveNoneFound !== undefined && { noneFound: effectiveNoneFound }),
      finishedAt: row.createdAt,
    });
  }
  return limits;
}
