import type { RunContext } from "./run-context";
import type { EngineTimers } from "./timers";

/** While a load creeps inside one 10 % step, at most one progress event per this many milliseconds. */
export const PROGRESS_REFRESH_MS = 1_000;

/** Whole percent of a 0..1 fraction, immune to float noise (0.29 × 100 = 28.999…). */
const wholePercent = (fraction: number) => Math.floor(fraction * 100 + 1e-9);

/**
 * A probe's load progress as `probe.loadProgress` events (progress in whole percent): one at every 10 % step —
 * enough for a progress bar, few enough rows for a 57-model night — and, while the load creeps within a step,
 * at most one a second, so that a viewer's "no progress for N s" means that nothing moved. `loaded()` reports
 * 100 % when the load is done (hosts may stop reporting at 99 %): viewers then know the checks have begun.
 */
export function loadProgressEvents(
  ctx: RunContext,
  probeId: number,
  modelKey: string,
  timers: EngineTimers,
): { onProgress(progress: number): void; loaded(): void } {
  let reportedStep = -1;
  let reportedPercent = -1;
  let reportedAt = Number.NEGATIVE_INFINITY;
  const report = (percent: number) => {
    reportedStep = Math.max(reportedStep, Math.floor(percent / 10));
    reportedPercent = percent;
    reportedAt = timers.now();
    // Not awaited (the SDK calls this synchronously); a failed write must not become an unhandled rejection.
    ctx.emit("probe.loadProgress", { probeId, modelKey, progress: percent / 100 }).catch(() => undefined);
  };
  return {
    onProgress(progress) {
      const percent = Math.min(100, wholePercent(progress));
      const isNewStep = Math.floor(percent / 10) > reportedStep;
      const hasCrept = percent > reportedPercent && timers.now() - reportedAt >= PROGRESS_REFRESH_MS;
      if (isNewStep || hasCrept) report(percent);
    },
    loaded() {
      if (reportedPercent < 100) report(100);
    },
  };
}
