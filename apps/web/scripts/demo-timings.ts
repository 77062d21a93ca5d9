/**
 * `pnpm demo` runs the emulator faster than real time (`LMSTRIX_DEMO_TIME_SCALE`, e.g. 0.01): the engine's
 * timeouts shrink with it, so that a hung load is given up in proportion — at 0.01 the stall rule fires after
 * about a second, not a minute. Each has a floor that a busy machine's event loop cannot trip by itself; a
 * variable the user set is left as set.
 */
const SCALED_TIMINGS = {
  LMSTRIX_LOAD_TIMEOUT_MS: { realMs: 600_000, floorMs: 5_000 },
  LMSTRIX_LOAD_STALL_MS: { realMs: 60_000, floorMs: 1_000 },
  LMSTRIX_TIMEOUT_PAUSE_MS: { realMs: 2_000, floorMs: 0 },
  LMSTRIX_RECONNECT_TIMEOUT_MS: { realMs: 120_000, floorMs: 5_000 },
  // The pause between models lets a real GPU settle; the emulator's has nothing to wait for.
  LMSTRIX_COOLDOWN_MS: { realMs: 3_000, floorMs: 0 },
} as const;

export type ScaledTiming = keyof typeof SCALED_TIMINGS;

/** The timing variables to give the dashboard at `timeScale` (real time: 1), those the user set left out. */
export function demoTimings(
  timeScale: number,
  environment: Record<string, string | undefined>,
): Partial<Record<ScaledTiming, string>> {
  const timings: Partial<Record<ScaledTiming, string>> = {};
  for (const [name, { realMs, floorMs }] of Object.entries(SCALED_TIMINGS) as [
    ScaledTiming,
    { realMs: number; floorMs: number },
  ][]) {
    if (environment[name] !== undefined) continue;
    timings[name] = String(Math.max(floorMs, Math.round(realMs * Math.min(1, timeScale))));
  }
  return timings;
}
