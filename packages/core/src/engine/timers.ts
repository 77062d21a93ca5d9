/**
 * The engine's timers, injectable so that tests drive watchdogs with a manual clock instead of waiting
 * (`ManualTimers` in `@lmstrix/core/testing`).
 */
export interface EngineTimers {
  /** Milliseconds on a monotonic clock (only differences mean anything). */
  now(): number;
  /** Calls `callback` once after `ms`; the returned function cancels it (a no-op once it has run). */
  after(ms: number, callback: () => void): () => void;
}

export const SYSTEM_TIMERS: EngineTimers = {
  now: () => performance.now(),
  after(ms, callback) {
    const timer = setTimeout(callback, ms);
    return () => clearTimeout(timer);
  },
};
