import { formatCount } from "~/lib/format";

/** One run's effective limit of the model (the `model.get` read model's `effectiveRuns`). */
export interface EffectiveRun {
  runId: number;
  effectiveLimit: number | null;
  effectiveRange: { low: number; high: number } | null;
  recallThreshold: number;
  /** With no limit: false when the search had no result (a filled check failed to run); unknown on older runs. */
  noneFound?: boolean;
}

/** "48,000–52,000": where the limit lies, from the limit found to the smallest size shown to fall short. */
export function formatEffectiveRange(range: { low: number; high: number }): string {
  return `${formatCount(range.low)}–${formatCount(range.high)}`;
}

export interface EffectiveSpread {
  runs: number;
  /** Runs that found a limit. */
  found: number;
  min: number | null;
  max: number | null;
  /** (max − min) / max, 0..1: how far repeated runs land apart; null with fewer than two limits. */
  spread: number | null;
}

/**
 * The runs whose limits can be compared with the newest one's: those at its recall threshold (runs come oldest
 * first). A stricter threshold gives a shorter limit by design, which is no spread of the measurement.
 */
export function atNewestThreshold(runs: readonly EffectiveRun[]): EffectiveRun[] {
  const threshold = runs.at(-1)?.recallThreshold;
  return runs.filter((run) => run.recallThreshold === threshold);
}

export function effectiveSpread(runs: readonly EffectiveRun[]): EffectiveSpread {
  const limits = runs.flatMap((run) => (run.effectiveLimit === null ? [] : [run.effectiveLimit]));
  const min = limits.length > 0 ? Math.min(...limits) : null;
  const max = limits.length > 0 ? Math.max(...limits) : null;
  const spread = limits.length > 1 && max !== null && min !== null && max > 0 ? (max - min) / max : null;
  return { runs: runs.length, found: limits.length, min, max, spread };
}

/**
 * The strip's scale: the runs' limits and ranges with a margin each side, so that runs a few percent apart
 * are told apart (on a scale from zero they would sit on one spot); a single value sits in the middle.
 */
export function stripDomain(runs: readonly EffectiveRun[]): [number, number] | null {
  const values = runs.flatMap((run) => [
    ...(run.effectiveLimit === null ? [] : [run.effectiveLimit]),
    ...(run.effectiveRange ? [run.effectiveRange.low, run.effectiveRange.high] : []),
  ]);
  if (values.length === 0) return null;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const margin = Math.max((max - min) * 0.15, max * 0.05, 1);
  return [Math.max(0, min - margin), max + margin];
}

/**
 * The recall threshold the Recall chart draws: the newest run's that ran filled checks of this model (`runs`
 * newest first, as the page has them), so the line is the bar the latest effective limit was measured against.
 */
export function chartThreshold(
  runs: readonly { id: number; recallThreshold: number | null }[],
  probes: readonly { runId: number; kind: string }[],
): { runId: number; threshold: number } | null {
  const filledRuns = new Set(
    probes.filter((probe) => probe.kind === "effective").map((probe) => probe.runId),
  );
  const run = runs.find((candidate) => candidate.recallThreshold !== null && filledRuns.has(candidate.id));
  return run ? { runId: run.id, threshold: run.recallThreshold! } : null;
}
