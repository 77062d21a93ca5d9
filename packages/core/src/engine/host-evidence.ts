import type { ModelSummary } from "../domain/model";
import type { LoadEvidence, RunRecord } from "../ports/store";
import type { HostLoad } from "./memory-model";
import type { RunContext } from "./run-context";
import type { SearchKnowledge } from "./search";

/**
 * What the host already showed, for the `fit` search of `model` in `run`: every finished load on the host
 * except this model's loads in this run (those are the search's own history). Loads of runs that kept other
 * models loaded are left out (less memory was free then); a run that keeps models loaded learns only from
 * itself.
 */
export async function hostKnowledge(
  ctx: RunContext,
  run: RunRecord,
  model: ModelSummary,
): Promise<SearchKnowledge> {
  const evidence = await ctx.store.listLoadEvidence(run.hostId);
  const runs = await ctx.store.listRuns({ hostId: run.hostId });
  const crowded = new Set(runs.filter((other) => other.options.keepLoaded).map((other) => other.id));
  const loads = evidence
    .filter((load) => !(load.runId === run.id && load.modelId === model.id))
    .filter((load) => (run.options.keepLoaded ? load.runId === run.id : !crowded.has(load.runId)))
    .map(toHostLoad);
  return { modelKey: model.modelKey, sizeBytes: model.sizeBytes, evidence: loads };
}

export function toHostLoad(load: LoadEvidence): HostLoad {
  return {
    modelKey: load.modelKey,
    sizeBytes: load.sizeBytes,
    requested: load.contextRequested,
    // A pass without an applied size (imported from lmstrix) counts at the size asked.
    applied: load.contextApplied ?? (load.outcome === "pass" ? load.contextRequested : null),
    passed: load.outcome === "pass",
    memoryFailure: load.errorCategory === "INSUFFICIENT_RESOURCES",
    requiredBytes: load.requiredBytes,
  };
}
