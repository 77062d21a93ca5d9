import type { ModelSummary } from "../domain/model";
import type { ProbeKind } from "../domain/probe";
import type { ProbeRecord } from "../ports/store";
import type { Observation } from "./search";

/** What this run already knows about one model, read back from its probe rows (so a resumed run continues). */
export interface ModelHistory {
  observations: Observation[];
  /** A probe that ended in a model-level error (e.g. a corrupted cache): the model is done for this run. */
  modelError: ProbeRecord | undefined;
  /** Ids of probes left open by a crash or a lost host, by requested size: run again, not added twice. */
  unfinished: Map<number, number>;
  /** The model's last known bad size from before this run touched it. */
  previousBad: number | null;
  hasProbes: boolean;
  lastFailure: ProbeRecord | undefined;
}

/** Loadable and effective (filled-context) probes are two searches: each reads only its own kind. */
export function readModelHistory(
  model: ModelSummary,
  runProbes: readonly ProbeRecord[],
  kind: ProbeKind = "loadable",
): ModelHistory {
  const probes = runProbes.filter((probe) => probe.modelId === model.id && probe.kind === kind);
  const observations: Observation[] = [];
  const unfinished = new Map<number, number>();
  let modelError: ProbeRecord | undefined;
  let lastFailure: ProbeRecord | undefined;
  for (const probe of probes) {
    if (probe.outcome === null) unfinished.set(probe.contextRequested, probe.id);
    else if (probe.outcome === "pass" || probe.outcome === "fail") {
      observations.push({
        requested: probe.contextRequested,
        applied: probe.contextApplied,
        passed: probe.outcome === "pass",
        memoryFailure: probe.errorCategory === "INSUFFICIENT_RESOURCES",
        requiredBytes: probe.requiredBytes,
        failedKvCacheBytes: probe.failedKvCacheBytes,
        // Speeds tell a load that spilled only when the prompts compare: the loadable check's short ones do,
        // filled checks of every length do not (a long prompt is slower by itself).
        ...(kind === "loadable" && {
          promptTokensPerSec: probe.promptTokensPerSec,
          genTokensPerSec: probe.genTokensPerSec,
        }),
      });
      if (probe.outcome === "fail") lastFailure = probe;
    } else if (probe.outcome === "error") modelError = probe;
  }
  return {
    observations,
    modelError,
    unfinished,
    previousBad: probes.length > 0 ? (probes[0]?.previousBadContext ?? null) : model.lastBadContext,
    hasProbes: probes.length > 0,
    lastFailure,
  };
}
