import type { ModelSummary } from "../domain/model";
import type { LoadEvidence, RunRecord } from "../ports/store";
import type { HostLoad } from "./memory-model";
import type { RunContext } from "./run-context";
import type { Observation, SearchKnowledge } from "./search";
import { spilledPasses } from "./spill";

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
  const kept = evidence
    .filter((load) => !(load.runId === run.id && load.modelId === model.id))
    .filter((load) => (run.options.keepLoaded ? load.runId === run.id : !crowded.has(load.runId)));
  const spilled = spilledLoads(kept);
  const loads = kept.map((load) => ({
    ...(spilled.has(load) ? spilledLoad(load) : toHostLoad(load)),
    inThisRun: load.runId === run.id,
  }));
  const { modelKey, sizeBytes, architecture, params } = model;
  const decodeBandwidth = medianDecodeBandwidth(kept.filter((load) => !spilled.has(load)));
  return { modelKey, sizeBytes, architecture, params, decodeBandwidth, evidence: loads };
}

/** Generation tokens/s × model bytes, the median over passes that did not spill; null without any. */
function medianDecodeBandwidth(loads: readonly LoadEvidence[]): number | null {
  const figures = loads
    .filter((load) => load.outcome === "pass" && load.genTokensPerSec && load.sizeBytes > 0)
    .map((load) => (load.genTokensPerSec ?? 0) * load.sizeBytes)
    .sort((a, b) => a - b);
  return figures.length === 0 ? null : (figures[Math.floor(figures.length / 2)] ?? null);
}

/** The passes that spilled into system memory, judged within each search (one model in one run). */
function spilledLoads(loads: readonly LoadEvidence[]): Set<LoadEvidence> {
  const searches = new Map<string, { load: LoadEvidence; observation: Observation }[]>();
  for (const load of loads) {
    const key = `${load.runId}:${load.modelId}`;
    const observation: Observation = {
      requested: load.contextRequested,
      applied: load.contextApplied,
      passed: load.outcome === "pass",
      promptTokensPerSec: load.promptTokensPerSec ?? null,
      genTokensPerSec: load.genTokensPerSec ?? null,
    };
    searches.set(key, [...(searches.get(key) ?? []), { load, observation }]);
  }
  const spilled = new Set<LoadEvidence>();
  for (const search of searches.values()) {
    const slow = spilledPasses(search.map((entry) => entry.observation));
    for (const entry of search) if (slow.has(entry.observation)) spilled.add(entry.load);
  }
  return spilled;
}

/** A load that spilled did not fit in memory: an out-of-memory failure with no stated requirement. */
function spilledLoad(load: LoadEvidence): HostLoad {
  return {
    ...toHostLoad(load),
    applied: null,
    passed: false,
    memoryFailure: true,
    requiredBytes: null,
    failedKvCacheBytes: null,
  };
}

export function toHostLoad(load: LoadEvidence): HostLoad {
  return {
    modelKey: load.modelKey,
    sizeBytes: load.sizeBytes,
    architecture: load.architecture ?? null,
    params: load.params ?? null,
    requested: load.contextRequested,
    // A pass without an applied size (imported from lmstrix) counts at the size asked.
    applied: load.contextApplied ?? (load.outcome === "pass" ? load.contextRequested : null),
    passed: load.outcome === "pass",
    memoryFailure: load.errorCategory === "INSUFFICIENT_RESOURCES",
    requiredBytes: load.requiredBytes,
    failedKvCacheBytes: load.failedKvCacheBytes ?? null,
  };
}
