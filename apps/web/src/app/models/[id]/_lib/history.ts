import { type FilledProbeFigures, sampleOf } from "@lmstrix/core";
import { probeOutcomeTone } from "../../../../lib/status";

/** The probe fields the history chart needs (a `model.get` probe). */
export interface HistoryProbe {
  id: number;
  runId: number;
  contextRequested: number;
  contextApplied: number | null;
  outcome: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

export interface HistoryPoint {
  time: number;
  context: number;
  probeId: number;
  runId: number;
  outcome: string;
}

export interface RunLimitPoint {
  time: number;
  context: number;
  runId: number;
}

/** Probes as points, split by how they ended: pass (green), fail (red), anything else (grey). */
export function probePoints(probes: readonly HistoryProbe[]) {
  const groups: Record<"pass" | "fail" | "other", HistoryPoint[]> = { pass: [], fail: [], other: [] };
  for (const probe of probes) {
    groups[probeOutcomeTone(probe.outcome)].push({
      time: (probe.finishedAt ?? probe.startedAt).getTime(),
      // A pass counts at what LM Studio loaded; a failure at what was asked.
      context:
        probe.outcome === "pass" ? (probe.contextApplied ?? probe.contextRequested) : probe.contextRequested,
      probeId: probe.id,
      runId: probe.runId,
      outcome: probe.outcome ?? "running",
    });
  }
  return groups;
}

/** Per run, the largest size that passed, placed at the run's last probe. Runs without a pass have none. */
export function runLimits(probes: readonly HistoryProbe[]): RunLimitPoint[] {
  const byRun = new Map<number, RunLimitPoint>();
  for (const probe of probes) {
    const time = (probe.finishedAt ?? probe.startedAt).getTime();
    const current = byRun.get(probe.runId) ?? { runId: probe.runId, time, context: 0 };
    current.time = Math.max(current.time, time);
    if (probe.outcome === "pass") {
      current.context = Math.max(current.context, probe.contextApplied ?? probe.contextRequested);
    }
    byRun.set(probe.runId, current);
  }
  return [...byRun.values()].filter((point) => point.context > 0).sort((a, b) => a.time - b.time);
}

/** The probe fields the recall chart needs. */
export interface RecallProbe {
  id: number;
  runId: number;
  kind: string;
  contextRequested: number;
  contextApplied: number | null;
  outcome: string | null;
  recall: number | null;
  isTruncated: boolean | null;
  /** What the prompt held: tokens sent and reported, one expected code per needle (older probes: none). */
  promptTokensSent?: number | null;
  promptTokens?: number | null;
  expectedAnswer?: string | null;
}

export interface RecallPoint {
  /** The window the filled check ran in (what LM Studio applied, else what was asked). */
  context: number;
  /** The tokens of the filled prompt, as the effective search reads them: the unit of the effective limit. */
  promptTokens: number;
  /** Needles recalled, 0–100 %. */
  recall: number;
  probeId: number;
  runId: number;
  isTruncated: boolean;
}

/** A probe as core's effective search reads it (`sampleOf`, `recallFitOf`). */
export function filledFigures(probe: RecallProbe): FilledProbeFigures {
  return {
    outcome: probe.outcome as FilledProbeFigures["outcome"],
    contextRequested: probe.contextRequested,
    contextApplied: probe.contextApplied,
    expectedAnswer: probe.expectedAnswer ?? null,
    promptTokensSent: probe.promptTokensSent ?? null,
    promptTokens: probe.promptTokens ?? null,
    recall: probe.recall,
    isTruncated: probe.isTruncated,
  };
}

/** Filled-context probes as recall points (percent), smallest window first. */
export function recallPoints(probes: readonly RecallProbe[]): RecallPoint[] {
  return probes
    .filter((probe) => probe.kind === "effective" && probe.recall !== null)
    .map((probe) => {
      const context = probe.contextApplied ?? probe.contextRequested;
      return {
        context,
        promptTokens: sampleOf(filledFigures(probe))?.promptTokens ?? context,
        recall: Math.round((probe.recall ?? 0) * 1000) / 10,
        probeId: probe.id,
        runId: probe.runId,
        isTruncated: probe.isTruncated === true,
      };
    })
    .sort((a, b) => a.context - b.context);
}

/** The time axis: all points with a small margin, and never zero wide (a single probe is one instant). */
export function timeDomain(times: readonly number[]): [number, number] {
  if (times.length === 0) {
    const now = Date.now();
    return [now - 3_600_000, now];
  }
  const min = Math.min(...times);
  const max = Math.max(...times);
  const margin = Math.max((max - min) * 0.05, 1_000);
  return [min - margin, max + margin];
}

const DAY_MS = 86_400_000;

/** Tick labels as fine as the axis needs: seconds within a run, dates across weeks. */
export function timeTickFormatter([from, to]: [number, number]): (value: number) => string {
  const span = to - from;
  const options: Intl.DateTimeFormatOptions =
    span < 3_600_000
      ? { hour: "numeric", minute: "2-digit", second: "2-digit" }
      : span < 2 * DAY_MS
        ? { hour: "numeric", minute: "2-digit" }
        : span < 60 * DAY_MS
          ? { month: "short", day: "numeric", hour: "numeric" }
          : { month: "short", day: "numeric", year: "numeric" };
  return (value) => new Date(value).toLocaleString("en-US", options);
}
