import { generationAtLimit } from "@lmstrix/core";
import { type HistoryProbe, type RunLimitPoint, runLimits } from "../../models/[id]/_lib/history";
import { type SpeedPoint, type SpeedProbe, speedPoints, speedSeries } from "../../models/[id]/_lib/speed";

/** A compared model's probe, as `model.compare` gives it: what the history and speed charts read. */
export type ComparedProbe = SpeedProbe & HistoryProbe;

export interface ComparedModelSeries {
  id: number;
  displayName: string;
  host: { name: string };
  probes: readonly ComparedProbe[];
  /** Each run's effective limit (runs with the effective check), as `model.compare` gives them. */
  effectiveRuns: readonly { runId: number; effectiveLimit: number | null; finishedAt: Date }[];
}

/**
 * One colour per compared model (at most 4), the same in every chart and column: far apart in hue, and dark
 * enough to read on white and light enough on the dark theme's cards.
 */
export const MODEL_COLORS = ["#0284c7", "#ea580c", "#9333ea", "#16a34a"] as const;

export function modelColor(index: number): string {
  return MODEL_COLORS[index % MODEL_COLORS.length]!;
}

/** A model's name in a legend: two hosts may hold the same model, so the host is in it. */
export function seriesLabel(model: Pick<ComparedModelSeries, "displayName" | "host">): string {
  return `${model.displayName} on ${model.host.name}`;
}

/** Each run's loadable limit of the model over time (its short checks, as on its History chart). */
export function limitHistory(model: ComparedModelSeries): RunLimitPoint[] {
  return runLimits(model.probes.filter((probe) => probe.kind === "loadable"));
}

/** Each run's effective limit of the model over time, at the run's end; a run that found none has no point. */
export function effectiveHistory(model: ComparedModelSeries): RunLimitPoint[] {
  return model.effectiveRuns
    .flatMap((run) =>
      run.effectiveLimit === null
        ? []
        : [{ runId: run.runId, context: run.effectiveLimit, time: run.finishedAt.getTime() }],
    )
    .sort((a, b) => a.time - b.time);
}

export type RatePoint = SpeedPoint & { value: number };

/** Generation tokens/s by context size, filled-window checks and short checks apart (0 has no place on a log axis). */
export function generationSeries(model: ComparedModelSeries): { filled: RatePoint[]; short: RatePoint[] } {
  const points = speedPoints(model.probes);
  const of = (kind: "filled" | "short") =>
    speedSeries(points, kind, "genTokensPerSec").filter((point) => point.value > 0);
  return { filled: of("filled"), short: of("short") };
}

/** How fast the model generated at its limit: core's rule, shared with `lmstrix compare`. */
export const speedAtLimit = generationAtLimit;

/**
 * A chart's words for its series: the caption screen readers get (each model's `describe`d points, or
 * `missing`) and the key's entries (a model without points says `missing` there too).
 */
export function seriesWords<T>(
  series: readonly { label: string; color: string; points: readonly T[] }[],
  describe: (points: readonly T[]) => string,
  missing: string,
): { summary: string; keyItems: { label: string; color: string }[] } {
  return {
    summary: series
      .map((entry) => `${entry.label}: ${entry.points.length === 0 ? missing : describe(entry.points)}.`)
      .join(" "),
    keyItems: series.map((entry) => ({
      label: entry.points.length > 0 ? entry.label : `${entry.label} (${missing})`,
      color: entry.color,
    })),
  };
}
