import type { RunContext } from "./run-context";
import type { EngineTimers } from "./timers";

/** While a load creeps inside one 10 % step, at most one progress event per this many milliseconds. */
export const PROGRESS_REFRESH_MS = 1_000;

/** Whole percent of a 0..1 fraction, immune to float noise (0.29 × 100 = 28.999…). */
const wholePercent = (fraction: number) => Math.floor(fraction * 100 + 1e-9);

/**
 * A probe's load progress as `probe.loadProgress` events (progress in whole percent): one at every 10 % step —
 * enough for a progress bar, few enough rows for a 57-model night — and, while the load creeps within a step,
 * at most one a second (the last value held back is reported when the second is over), so that a viewer sees
 * where a load stopped and its "no progress for N s" means that nothing moved. `loaded()` reports 100 % when
 * the load is done (hosts may stop reporting at 99 %): viewers then know the checks have begun. `stop()` ends
 * the reporting with the load, whatever its outcome.
 */
export function loadProgressEvents(
  ctx: RunContext,
  probeId: number,
  modelKey: string,
  timers: EngineTimers,
): { onProgress(progress: number): void; loaded(): void; stop(): void } {
  let reportedStep = -1;
  let reportedPercent = -1;
  let reportedAt = Number.NEGATIVE_INFINITY;
  let heldBack: number | null = null;
  let cancelHeldBack = () => {};
  let isStopped = false;
  const report = (percent: number) => {
    cancelHeldBack();
    heldBack = null;
    reportedStep = Math.max(reportedStep, Math.floor(percent / 10));
    reportedPercent = percent;
    reportedAt = timers.now();
    // Not awaited (the SDK calls this synchronously); a failed write must not become an unhandled rejection.
    ctx.emit("probe.loadProgress", { probeId, modelKey, progress: percent / 100 }).catch(() => undefined);
  };
  return {
    onProgress(progress) {
      const percent = Math.min(100, wholePercent(progress));
      if (isStopped || percent <= reportedPercent) return;
      const waited = timers.now() - reportedAt;
      if (Math.floor(percent / 10) > reportedStep || waited >= PROGRESS_REFRESH_MS) {
        report(percent);
        return;
      }
      if (heldBack === null) {
        cancelHeldBack = timers.after(PROGRESS_REFRESH_MS - waited, () => {
          if (heldBack !== null) report(heldBack);
        });
      }
      heldBack = percent;
    },
    loaded() {
      if (!isStopped && reportedPercent < 100) report(100);
    },
    stop() {
      isStopped = true;
      cancelHeldBack();
    },
  };
}
