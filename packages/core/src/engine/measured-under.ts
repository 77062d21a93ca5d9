import { describeLimitChange, type LimitChange, limitChange } from "../domain/limit-change";
import type { ModelSummary } from "../domain/model";
import { staleReasons } from "../domain/staleness";
import type { ModelSummaryPatch, RunRecord } from "../ports/store";
import type { RunContext } from "./run-context";
import { defaultPrecision } from "./search";

/** What a model's finished test was measured under: the run's LM Studio version and the file as stored now. */
export function measuredUnderPatch(run: RunRecord, model: ModelSummary): ModelSummaryPatch {
  return {
    measuredLmStudioVersion: run.lmStudioVersion,
    measuredSizeBytes: model.sizeBytes,
    measuredModifiedAt: model.modifiedAt,
  };
}

/**
 * Compares a limit a test just found with the one the model had (`before`: its row before the result was
 * written). A move past the run's precision is recorded as a change, with what changed between the two
 * measurements, and announced as `model.limitChanged`. A model without an earlier limit has nothing to compare,
 * nor an effective limit read at another recall threshold.
 */
export async function recordLimitChange(
  ctx: RunContext,
  run: RunRecord,
  before: ModelSummary,
  kind: LimitChange["kind"],
  to: number | null,
  /** The new limit's uncertainty, where the search gives one (the effective limit). */
  range?: { low: number; high: number },
): Promise<LimitChange | null> {
  const from = kind === "loadable" ? before.loadableLimit : before.effectiveLimit;
  if (from === null || to === null) return null;
  // At another recall threshold it answers another question (a stricter threshold gives a shorter limit by
  // design): a one-off run at 90 % is no regression of the model. (An unknown threshold is compared.)
  const threshold = before.effectiveThreshold;
  if (kind === "effective" && threshold !== null && threshold !== run.options.recallThreshold) return null;
  const causes = staleReasons(
    {
      lmStudioVersion: before.measuredLmStudioVersion,
      sizeBytes: before.measuredSizeBytes,
      modifiedAt: before.measuredModifiedAt,
    },
    { lmStudioVersion: run.lmStudioVersion, sizeBytes: before.sizeBytes, modifiedAt: before.modifiedAt },
  );
  const precision = run.options.precision ?? defaultPrecision(Math.max(from, to));
  const change = limitChange(kind, from, to, precision, causes, range);
  if (!change) return null;
  const description = describeLimitChange(change);
  await ctx.store.recordLimitChange({ hostId: run.hostId, modelId: before.id, runId: run.id, change });
  await ctx.emit("model.limitChanged", {
    modelKey: before.modelKey,
    kind,
    from: change.from,
    to: change.to,
    direction: change.direction,
    description,
  });
  return change;
}
