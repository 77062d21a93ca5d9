import type { RunEvent } from "../domain/event";

/**
 * How long a run still needs, estimated from this host's own probe times. Pure: the Run page and the CLI
 * fold the run's events into a `RunTiming` as they arrive and ask `estimateTimeLeft` whenever they redraw.
 */

export interface RunTiming {
  /** How many models the run tests (its "Testing N model(s)" log), once known. */
  plannedModels: number | null;
  /** Per model key: probes that measured something, and whether the model's search has ended. */
  models: Readonly<Record<string, { probes: number; isFinished: boolean }>>;
  /** Wall time of this run's finished probes (load, checks, unload), summed, and how many. */
  probeMsTotal: number;
  probeCount: number;
  /** Start (epoch ms) of each probe in flight, by probe id. */
  openProbes: Readonly<Record<number, number>>;
}

export const INITIAL_RUN_TIMING: RunTiming = {
  plannedModels: null,
  models: {},
  probeMsTotal: 0,
  probeCount: 0,
  openProbes: {},
};

/** The host's figures from its earlier runs, for a run that has none of its own yet. */
export interface HostTimings {
  /** Mean wall time of one probe; null when the host has no finished probe. */
  probeMs: number | null;
  /** Mean number of probes a model's search took; null when unknown. */
  probesPerModel: number | null;
}

export interface TimeLeft {
  ms: number;
  /** Where the figures came from: this run's own probes, or (some of them) the host's earlier runs. */
  basis: "this run" | "earlier runs on this host";
}

function withModel(
  timing: RunTiming,
  key: string,
  change: (m: { probes: number; isFinished: boolean }) => object,
) {
  const current = timing.models[key] ?? { probes: 0, isFinished: false };
  return { ...timing.models, [key]: { ...current, ...change(current) } };
}

/** Folds one event into the timing (a new object; the old one is left as it was). */
export function foldRunTiming(timing: RunTiming, event: RunEvent): RunTiming {
  const at = event.createdAt.getTime();
  switch (event.type) {
    case "log":
      return event.payload.modelKeys ? { ...timing, plannedModels: event.payload.modelKeys.length } : timing;
    case "probe.started": {
      const { probeId, modelKey } = event.payload;
      if (probeId === undefined) return timing;
      return {
        ...timing,
        openProbes: { ...timing.openProbes, [probeId]: at },
        models: withModel(timing, modelKey, () => ({})),
      };
    }
    case "probe.finished": {
      const { probeId, modelKey, outcome } = event.payload;
      if (probeId === undefined) return timing;
      const { [probeId]: startedAt, ...openProbes } = timing.openProbes;
      // A cancelled probe (a skip, a cancel) measured nothing and took no typical time.
      if (startedAt === undefined || outcome === "cancelled") return { ...timing, openProbes };
      return {
        ...timing,
        openProbes,
        probeMsTotal: timing.probeMsTotal + Math.max(0, at - startedAt),
        probeCount: timing.probeCount + 1,
        models: withModel(timing, modelKey, (model) => ({ probes: model.probes + 1 })),
      };
    }
    case "model.finished":
      return { ...timing, models: withModel(timing, event.payload.modelKey, () => ({ isFinished: true })) };
    // The probe in flight stopped with its process; its time until the resume is no probe's time.
    case "run.interrupted":
    case "run.finished":
      return { ...timing, openProbes: {} };
    default:
      return timing;
  }
}

/**
 * Time left: the probes the run still needs (a model not started takes as many as the models finished so
 * far took on average; one under way takes the rest of that, at least one) × the mean probe time, less what
 * the probe in flight has already taken, plus a cool-down before each model not started. `null` ("unknown")
 * until both figures exist, from this run or else from the host's earlier runs.
 */
export function estimateTimeLeft(
  timing: RunTiming,
  options: { host: HostTimings; cooldownMs: number; now: Date },
): TimeLeft | null {
  const models = Object.values(timing.models);
  const finished = models.filter((model) => model.isFinished && model.probes > 0);
  const ownProbeMs = timing.probeCount > 0 ? timing.probeMsTotal / timing.probeCount : null;
  const ownPerModel =
    finished.length > 0 ? finished.reduce((sum, model) => sum + model.probes, 0) / finished.length : null;
  const probeMs = ownProbeMs ?? options.host.probeMs;
  const perModel = ownPerModel ?? options.host.probesPerModel;
  if (probeMs === null || perModel === null || timing.plannedModels === null) return null;
  const notStarted = Math.max(0, timing.plannedModels - models.length);
  let probesLeft = notStarted * perModel;
  for (const model of models) if (!model.isFinished) probesLeft += Math.max(1, perModel - model.probes);
  const now = options.now.getTime();
  const inFlightMs = Object.values(timing.openProbes).reduce(
    (sum, startedAt) => sum + Math.min(probeMs, Math.max(0, now - startedAt)),
    0,
  );
  const ms = Math.max(0, probesLeft * probeMs - inFlightMs + notStarted * options.cooldownMs);
  const isOwn = ownProbeMs !== null && ownPerModel !== null;
  return { ms: Math.round(ms), basis: isOwn ? "this run" : "earlier runs on this host" };
}

/** "about 12 min", "less than a minute", "about 2 h 5 min"; "unknown" without an estimate. */
export function describeTimeLeft(left: TimeLeft | null): string {
  if (left === null) return "unknown";
  if (left.ms < 60_000) return "less than a minute";
  const minutes = Math.round(left.ms / 60_000);
  if (minutes < 60) return `about ${minutes} min`;
  const rest = minutes % 60;
  return `about ${Math.floor(minutes / 60)} h${rest > 0 ? ` ${rest} min` : ""}`;
}
