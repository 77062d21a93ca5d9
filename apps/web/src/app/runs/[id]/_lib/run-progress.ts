import {
  foldRunTiming,
  HOST_WAIT_STATES,
  INITIAL_RUN_TIMING,
  type RunEvent,
  type RunTiming,
} from "@lmstrix/core";
import { isRunOver } from "../../../../lib/status";
import { type LiveProbeTimes, startedProbeTimes, withLoadProgress } from "./live-probe";
import { type ProbeLogEntry, probeLogEntry } from "./probe-log-entry";

export type { ProbeLogEntry };

/** One event as `run.onEvents` delivers it: a stored row read as a typed event (see `parseRunEvent`). */
export type RunEventMessage = RunEvent;

export interface CurrentProbe extends LiveProbeTimes {
  probeId: number;
  modelKey: string;
  context: number;
  /** 0..1 while loading; null before the first progress report. */
  progress: number | null;
}

export interface ModelResult {
  modelKey: string;
  /** testing while its search goes on; then completed or failed. */
  status: string;
  declared: number | null;
  limit: number | null;
  reason: string | null;
  errorCategory: string | null;
  /** The effective limit (null: none found) and why, once a run with the effective check has it. */
  effective: { limit: number | null; reason: string | null } | null;
  passed: number;
  failed: number;
}

export interface RunMessage {
  id: number;
  kind: "warning" | "log";
  message: string;
  modelKey: string | null;
  /** The window size a warning is about, when it names one. */
  context: number | null;
  level: string | null;
  at: Date;
}

/** The run is waiting for LM Studio to answer again (it went away mid-run, or was not there at the start). */
export interface HostWait {
  hostUrl: string | null;
  message: string;
  since: Date;
}

export interface RunProgress {
  lastEventId: number;
  status: string | null;
  message: string | null;
  plannedModels: string[] | null;
  currentModel: string | null;
  currentProbe: CurrentProbe | null;
  hostWait: HostWait | null;
  /** Finished probes in the order they finished, one entry per probe. */
  probes: ProbeLogEntry[];
  models: ModelResult[];
  messages: RunMessage[];
  /** When the newest event was written: the run's last sign of life before an interruption. */
  lastEventAt: Date | null;
  /** Time the run spent stopped between an interruption and its resumption, summed. */
  stoppedMs: number;
  /** While interrupted: since when (the last event before the interruption). */
  stoppedSince: Date | null;
  /** This run's probe times, for its time left. */
  timing: RunTiming;
  /** Models someone asked to skip that have not finished yet. */
  skipsAsked: string[];
}

export const INITIAL_RUN_PROGRESS: RunProgress = {
  lastEventId: 0,
  status: null,
  message: null,
  plannedModels: null,
  currentModel: null,
  currentProbe: null,
  hostWait: null,
  probes: [],
  models: [],
  messages: [],
  lastEventAt: null,
  stoppedMs: 0,
  stoppedSince: null,
  timing: INITIAL_RUN_TIMING,
  skipsAsked: [],
};

const stoppedFor = (since: Date | null, until: Date): number =>
  since ? Math.max(0, until.getTime() - since.getTime()) : 0;

/** How long the run has been stopped by interruptions, up to `now` if it is stopped still. */
export function stoppedTime(progress: RunProgress, now: Date): number {
  return progress.stoppedMs + stoppedFor(progress.stoppedSince, now);
}

const date = (value: unknown): Date | null => {
  const parsed = typeof value === "string" ? new Date(value) : null;
  return parsed && Number.isFinite(parsed.getTime()) ? parsed : null;
};

function upsertModel(models: ModelResult[], modelKey: string, patch: (model: ModelResult) => ModelResult) {
  const index = models.findIndex((model) => model.modelKey === modelKey);
  const base: ModelResult = models[index] ?? {
    modelKey,
    status: "testing",
    declared: null,
    limit: null,
    reason: null,
    errorCategory: null,
    effective: null,
    passed: 0,
    failed: 0,
  };
  const next = [...models];
  if (index === -1) next.push(patch(base));
  else next[index] = patch(base);
  return next;
}

/**
 * Folds one run event into what the run page shows. Events arrive in id order; one already seen (a replay
 * after a reconnect) changes nothing, so the state is the same however the stream was delivered.
 */
export function applyRunEvent(state: RunProgress, event: RunEventMessage): RunProgress {
  if (event.id <= state.lastEventId) return state;
  // A run that starts, resumes, ends or starts a probe is not waiting for its host (any more).
  const isPastHostWait = event.type.startsWith("run.") || event.type === "probe.started";
  const next: RunProgress = {
    ...state,
    lastEventId: event.id,
    hostWait: isPastHostWait ? null : state.hostWait,
    lastEventAt: event.createdAt,
    timing: foldRunTiming(state.timing, event),
  };
  switch (event.type) {
    case "run.queued":
      return { ...next, status: "queued" };
    case "run.started":
      return { ...next, status: "running", message: null };
    // An interruption and its resumption stay in the messages, so a finished run still shows that it survived one.
    case "run.resumed":
      return {
        ...next,
        stoppedMs: state.stoppedMs + stoppedFor(state.stoppedSince, event.createdAt),
        stoppedSince: null,
        status: "running",
        message: null,
        messages: [...state.messages, lifecycleMessage(event, "log", resumedText(event.payload.holder))],
      };
    case "run.interrupted": {
      const { message = null, lastAliveAt } = event.payload;
      return {
        ...next,
        // After a crash the interruption is written only at the next start: the run stopped at its worker's
        // last heartbeat (`lastAliveAt`), or, when that is unknown, at its last event.
        stoppedSince: state.stoppedSince ?? date(lastAliveAt) ?? state.lastEventAt ?? event.createdAt,
        status: "interrupted",
        message,
        currentProbe: null,
        messages: [
          ...state.messages,
          lifecycleMessage(event, "warning", `Interrupted: ${message ?? "the process running it stopped"}`),
        ],
      };
    }
    case "run.finished":
      return {
        ...next,
        stoppedMs: state.stoppedMs + stoppedFor(state.stoppedSince, event.createdAt),
        stoppedSince: null,
        status: event.payload.status ?? "completed",
        message: event.payload.message ?? null,
        currentModel: null,
        currentProbe: null,
      };
    case "model.started": {
      const { modelKey, declared } = event.payload;
      if (!modelKey) return next;
      return {
        ...next,
        currentModel: modelKey,
        models: upsertModel(state.models, modelKey, (model) => ({
          ...model,
          status: "testing",
          declared: declared ?? model.declared,
        })),
      };
    }
    case "model.finished": {
      const p = event.payload;
      const modelKey = p.modelKey;
      if (!modelKey) return next;
      return {
        ...next,
        currentModel: state.currentModel === modelKey ? null : state.currentModel,
        skipsAsked: state.skipsAsked.filter((key) => key !== modelKey),
        models: upsertModel(state.models, modelKey, (model) => ({
          ...model,
          status: p.status,
          limit: p.limit ?? null,
          declared: p.declared ?? model.declared,
          reason: p.reason ?? null,
          errorCategory: p.errorCategory ?? null,
          // Only runs with the effective check write it (a number, or null when none was found).
          effective:
            p.effectiveLimit !== undefined
              ? { limit: p.effectiveLimit, reason: p.effectiveReason ?? null }
              : null,
        })),
      };
    }
    case "probe.started": {
      const p = event.payload;
      const { probeId, modelKey } = p;
      if (probeId === undefined || !modelKey) return next;
      return {
        ...next,
        currentModel: modelKey,
        currentProbe: {
          probeId,
          modelKey,
          context: p.context ?? 0,
          progress: null,
          ...startedProbeTimes(p, event.createdAt),
        },
        // A batch moves between models probe by probe; a model seen first here is being tested too.
        models: state.models.some((model) => model.modelKey === modelKey)
          ? state.models
          : upsertModel(state.models, modelKey, (model) => model),
      };
    }
    case "probe.loadProgress": {
      const current = state.currentProbe;
      if (!current || current.probeId !== event.payload.probeId) return next;
      return { ...next, currentProbe: withLoadProgress(current, event.payload.progress, event.createdAt) };
    }
    case "model.skipRequested": {
      const { modelKey, by = "a user" } = event.payload;
      if (!modelKey) return next;
      return {
        ...next,
        skipsAsked: state.skipsAsked.includes(modelKey) ? state.skipsAsked : [...state.skipsAsked, modelKey],
        messages: [...state.messages, { ...lifecycleMessage(event, "log", `Skip asked by ${by}`), modelKey }],
      };
    }
    case "probe.finished": {
      const { probeId, modelKey } = event.payload;
      if (probeId === undefined || !modelKey) return next;
      const entry = probeLogEntry({ ...event.payload, probeId, modelKey }, event.createdAt);
      const { outcome } = entry;
      const previous = state.probes.find((probe) => probe.probeId === probeId);
      const probes = previous
        ? state.probes.map((probe) => (probe.probeId === probeId ? entry : probe))
        : [...state.probes, entry];
      const counted = (model: ModelResult): ModelResult => {
        if (previous) return model;
        if (outcome === "pass") return { ...model, passed: model.passed + 1 };
        if (outcome === "fail" || outcome === "error") return { ...model, failed: model.failed + 1 };
        return model;
      };
      return {
        ...next,
        probes,
        currentProbe: state.currentProbe?.probeId === probeId ? null : state.currentProbe,
        models: upsertModel(state.models, modelKey, counted),
      };
    }
    case "warning":
    case "log": {
      const isWarning = event.type === "warning";
      const message: RunMessage = {
        id: event.id,
        kind: event.type,
        message: event.payload.message ?? JSON.stringify(event.payload),
        modelKey: isWarning ? (event.payload.modelKey ?? null) : null,
        context: isWarning ? (event.payload.context ?? null) : null,
        level: isWarning ? (event.payload.level ?? null) : null,
        at: event.createdAt,
      };
      const planned = event.type === "log" ? (event.payload.modelKeys ?? null) : null;
      const { hostWait, hostUrl = null } = event.payload;
      return {
        ...next,
        plannedModels: planned ?? state.plannedModels,
        messages: [...state.messages, message],
        ...(hostWait === HOST_WAIT_STATES.waiting && {
          // The probe in flight was lost with the connection; it starts again once LM Studio is back.
          currentProbe: null,
          hostWait: { hostUrl, message: message.message, since: event.createdAt },
        }),
        ...(hostWait === HOST_WAIT_STATES.back && { hostWait: null }),
      };
    }
    case "model.limitChanged": {
      // A regression is something to look at (a warning); an improvement is news (a log line).
      const { modelKey = null, kind, direction, description } = event.payload;
      const message: RunMessage = {
        id: event.id,
        kind: direction === "regression" ? "warning" : "log",
        message: `${kind === "effective" ? "Effective" : "Loadable"} limit ${direction ?? "change"}: ${description ?? ""}`,
        modelKey,
        context: null,
        level: null,
        at: event.createdAt,
      };
      return { ...next, messages: [...state.messages, message] };
    }
    default:
      return next;
  }
}

function lifecycleMessage(event: RunEventMessage, kind: RunMessage["kind"], message: string): RunMessage {
  return { id: event.id, kind, message, modelKey: null, context: null, level: null, at: event.createdAt };
}

function resumedText(by: string | undefined): string {
  return `Resumed where it stopped${by ? ` (by ${by})` : ""}`;
}

/** A model still "testing" in a run that ended was stopped mid-search (cancel, failure). */
export function displayedModelStatus(model: ModelResult, runStatus: string | null): string {
  return model.status === "testing" && isRunOver(runStatus) ? "stopped" : model.status;
}
