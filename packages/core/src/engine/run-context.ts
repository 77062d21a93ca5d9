import type { PayloadOf, RunEventType } from "../domain/event";
import type { ModelRuntime } from "../ports/model-runtime";
import type { Store } from "../ports/store";
import type { ModelSkips } from "./model-skip";
import type { EngineTimers } from "./timers";

/** Timing knobs of the engine; tests shrink them, users rarely need to. */
export interface EngineSettings {
  /** Extra attempts after a TIMEOUT before the size counts as failed (lmstrix: 2). */
  timeoutRetries: number;
  /** Pause between those attempts (lmstrix: 2 s). */
  timeoutPauseMs: number;
  /**
   * A load whose progress has not moved for this long is given up as STALLED: the size fails, without the
   * retries of a TIMEOUT. 0 turns the rule off (the runtime's load timeout still applies).
   */
  loadStallMs: number;
  /** How long a run waits for a host that went away before it fails. */
  reconnectTimeoutMs: number;
  /** First pause between reconnection attempts; doubles up to `maxReconnectPauseMs`. */
  reconnectPauseMs: number;
  maxReconnectPauseMs: number;
}

export const DEFAULT_ENGINE_SETTINGS: EngineSettings = {
  timeoutRetries: 2,
  timeoutPauseMs: 2_000,
  loadStallMs: 60_000,
  reconnectTimeoutMs: 120_000,
  reconnectPauseMs: 1_000,
  maxReconnectPauseMs: 15_000,
};

/**
 * Why a run's signal was aborted. Only a user's cancel ends the probe in flight as `cancelled`; after a
 * shutdown or a lost lease the probe stays open, so that the run resumes it instead of adding a second row.
 */
export const STOP_REASONS = {
  cancelled: "cancelled",
  shutdown: "shutdown",
  leaseLost: "lease-lost",
  /** Only the model in flight ends (see `ModelSkips`); the run goes on with the next model. */
  skipped: "skipped",
} as const;

/** Whether an aborted run signal means "the user cancelled" (anything but a shutdown or a lost lease). */
export function isUserCancel(signal: AbortSignal): boolean {
  return signal.reason !== STOP_REASONS.shutdown && signal.reason !== STOP_REASONS.leaseLost;
}

/** Everything a run's steps need: where to write, whom to talk to, and when to stop. */
export interface RunContext {
  runId: number;
  store: Store;
  runtime: ModelRuntime;
  /** Aborted when the run is cancelled or the process shuts down. */
  signal: AbortSignal;
  settings: EngineSettings;
  /** Appends a `RunEvent`; every step of a run is one, so any viewer can follow it from the database. */
  emit<T extends RunEventType>(type: T, payload: PayloadOf<T>): Promise<void>;
  sleep(ms: number): Promise<void>;
  /** The clock of the stall watchdog; the system's when absent. */
  timers?: EngineTimers;
  /** "Skip this model" requests of the run; without it no model can be skipped. */
  skips?: ModelSkips;
}
