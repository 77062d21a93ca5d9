import {
  comfortableLimit,
  DEFAULT_COMFORT_THRESHOLDS,
  type SpeedThresholds,
} from "../domain/comfortable-limit";
import type { Host } from "../domain/host";
import type { ModelSummary } from "../domain/model";
import type { ProbeRecord, RunRecord, Store } from "../ports/store";

/**
 * The measured limits of every model, for other tools and scripts (`GET /api/limits`, `lmstrix export
 * --format limits`). Its field names are a promise: add fields, never rename or drop one.
 */
export interface LimitsReport {
  format: "lmstrix-limits";
  version: 1;
  generatedAt: string;
  /** What "comfortable" meant for `comfortable` (the Model page's defaults). */
  comfortableThresholds: SpeedThresholds;
  /** By host name. */
  hosts: Record<string, HostLimits>;
}

export interface HostLimits {
  url: string;
  /** By LM Studio model key; models the host still lists. */
  models: Record<string, ModelLimits>;
}

export interface ModelLimits {
  /** The largest context that loads (tokens); null until measured. */
  loadable: number | null;
  /** The largest context the model still recalls from when the window is full; null until measured. */
  effective: number | null;
  /**
   * The recall threshold (0..1] the effective search read at; with `effective` null, it found none there (no
   * size recalled that share of its needles). Null: no effective search stands.
   */
  effectiveRecallThreshold: number | null;
  /** The largest measured context that is still fast enough (see `comfortableThresholds`); null when none. */
  comfortable: number | null;
  /** When the model was last tested (ISO 8601); null when never. */
  measuredAt: string | null;
  /** The LM Studio version of the run that last tested it; null when unknown (runs older than lmstrix kept it). */
  lmStudioVersion: string | null;
  /** That run's id. */
  runId: number | null;
}

type ReportStore = Pick<Store, "listHosts" | "listModels" | "listHostProbes" | "getRun">;

/** The run of the model's last finished probe: the one that measured what its limits say now. */
function lastMeasuringRun(probes: readonly ProbeRecord[]): number | null {
  const finished = probes.filter((probe) => probe.outcome === "pass" || probe.outcome === "fail");
  return finished.at(-1)?.runId ?? null;
}

async function modelLimits(
  model: ModelSummary,
  probes: readonly ProbeRecord[],
  runOf: (id: number) => Promise<RunRecord | null>,
): Promise<ModelLimits> {
  const runId = lastMeasuringRun(probes);
  const run = runId === null ? null : await runOf(runId);
  return {
    loadable: model.loadableLimit,
    effective: model.effectiveLimit,
    effectiveRecallThreshold: model.effectiveThreshold,
    comfortable: comfortableLimit(probes, DEFAULT_COMFORT_THRESHOLDS, model).context,
    measuredAt: (model.lastTestedAt ?? run?.finishedAt ?? null)?.toISOString() ?? null,
    lmStudioVersion: run?.lmStudioVersion ?? null,
    runId,
  };
}

function byModel(probes: readonly ProbeRecord[]): Map<number, ProbeRecord[]> {
  const groups = new Map<number, ProbeRecord[]>();
  for (const probe of probes) {
    const group = groups.get(probe.modelId);
    if (group === undefined) groups.set(probe.modelId, [probe]);
    else group.push(probe);
  }
  return groups;
}

/** The report for every host (or the hosts given), built from what is stored. */
export async function limitsReport(
  store: ReportStore,
  options: { hosts?: readonly Host[]; now?: Date } = {},
): Promise<LimitsReport> {
  const runs = new Map<number, Promise<RunRecord | null>>();
  const runOf = (id: number) => {
    const known = runs.get(id);
    if (known !== undefined) return known;
    const run = store.getRun(id);
    runs.set(id, run);
    return run;
  };
  const hosts: Record<string, HostLimits> = {};
  for (const host of options.hosts ?? (await store.listHosts())) {
    const models: Record<string, ModelLimits> = {};
    const probesByModel = byModel(await store.listHostProbes(host.id));
    for (const model of await store.listModels({ hostId: host.id, isPresent: true })) {
      models[model.modelKey] = await modelLimits(model, probesByModel.get(model.id) ?? [], runOf);
    }
    hosts[host.name] = { url: host.url, models };
  }
  return {
    format: "lmstrix-limits",
    version: 1,
    generatedAt: (options.now ?? new Date()).toISOString(),
    comfortableThresholds: DEFAULT_COMFORT_THRESHOLDS,
    hosts,
  };
}
