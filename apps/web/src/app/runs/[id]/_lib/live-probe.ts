import type { StoredPayloadOf } from "@lmstrix/core";

/**
 * The probe in flight as the Run page shows it live: how long its load (or, once loaded, its checks) has
 * taken, and how long its load progress has sat still. Ticks on the client from the last progress event; the
 * server is not asked.
 */

/** Quieter than this, a load is said to have "no progress" (hosts report progress every second or so). */
export const QUIET_LOAD_MS = 5_000;

export interface LiveProbeTimes {
  startedAt: Date;
  /** The last time the load's progress rose (the probe's start until the first report). */
  lastProgressAt: Date;
  /** When the load finished (progress 100 %): the checks are asked from then on. */
  loadedAt: Date | null;
  /** The server's stall rule: a load this long without progress is given up (null: no such rule). */
  stallMs: number | null;
}

export interface LiveProbeFacts {
  phase: "loading" | "checking";
  /** Time spent in the current phase. */
  elapsedMs: number;
  /** While loading: how long the progress has not moved, once that is worth saying (else null). */
  quietMs: number | null;
}

/** The timing fields of a probe that has just started (`probe.started`, its payload and time). */
export function startedProbeTimes(
  payload: Pick<StoredPayloadOf<"probe.started">, "stallMs">,
  at: Date,
): LiveProbeTimes {
  // 0 (no stall rule) and a row older than the stall rule read the same.
  return { startedAt: at, lastProgressAt: at, loadedAt: null, stallMs: payload.stallMs || null };
}

/** After a `probe.loadProgress` event: a rise moves `lastProgressAt`; 100 % marks the load done. */
export function withLoadProgress<T extends LiveProbeTimes & { progress: number | null }>(
  probe: T,
  progress: number | null,
  at: Date,
): T {
  if (progress === null || (probe.progress !== null && progress <= probe.progress)) return probe;
  return { ...probe, progress, lastProgressAt: at, loadedAt: progress >= 1 ? at : probe.loadedAt };
}

export function liveProbeFacts(probe: LiveProbeTimes, now: Date): LiveProbeFacts {
  const since = (date: Date) => Math.max(0, now.getTime() - date.getTime());
  if (probe.loadedAt) return { phase: "checking", elapsedMs: since(probe.loadedAt), quietMs: null };
  const quiet = since(probe.lastProgressAt);
  return {
    phase: "loading",
    elapsedMs: since(probe.startedAt),
    quietMs: quiet >= QUIET_LOAD_MS ? quiet : null,
  };
}
