import { plural } from "@lmstrix/core";
import { formatCount } from "../../../../lib/format";
import { PROBE_OUTCOME_LABELS, type ProbeOutcomeLabel, probeOutcomeLabel } from "../../../../lib/status";

/**
 * The Probes card's title. The page gets only a model's newest probes (PROBE_HISTORY_LIMIT), so when there are
 * more the title says how many are listed of how many the model really has.
 */
export function probesTitle(listed: number, total: number): string {
  if (listed >= total) return `Probes (${formatCount(listed)})`;
  return `Probes (newest ${formatCount(listed)} of ${formatCount(total)} probes)`;
}

export type OutcomeCounts = Record<ProbeOutcomeLabel, number> & { total: number };

/** The listed probes by kind and by outcome, counted by the outcome words the probe table shows. */
export interface ProbeCounts {
  total: number;
  /** Short checks (`loadable` probes): what the History chart plots. */
  short: OutcomeCounts;
  /** Filled-window checks (`effective` probes): what the Recall chart plots. */
  filled: OutcomeCounts;
}

const noOutcomes = (): OutcomeCounts => ({ pass: 0, fail: 0, error: 0, cancelled: 0, running: 0, total: 0 });

/**
 * One count for the History card and the Probes card, so that they agree: every probe is in the table, its
 * short checks in the History chart and its filled-window checks in the Recall chart; an error, a cancelled
 * probe and one still open are counted under the word their badge shows, never folded into "fail".
 */
export function countProbes(probes: readonly { kind: string; outcome: string | null }[]): ProbeCounts {
  const counts: ProbeCounts = { total: 0, short: noOutcomes(), filled: noOutcomes() };
  for (const probe of probes) {
    const group = probe.kind === "effective" ? counts.filled : counts.short;
    group[probeOutcomeLabel(probe.outcome)] += 1;
    group.total += 1;
    counts.total += 1;
  }
  return counts;
}

/** "8 pass, 3 fail, 1 error": the outcomes that occur, in the table's words. */
export function outcomeSummary(counts: OutcomeCounts): string {
  const parts = PROBE_OUTCOME_LABELS.filter((label) => counts[label] > 0).map(
    (label) => `${formatCount(counts[label])} ${label}`,
  );
  return parts.length > 0 ? parts.join(", ") : "none";
}

function sumOutcomes(a: OutcomeCounts, b: OutcomeCounts): OutcomeCounts {
  const sum = noOutcomes();
  for (const key of [...PROBE_OUTCOME_LABELS, "total"] as const) sum[key] = a[key] + b[key];
  return sum;
}

/** Below the probe table: "20 probes: 12 short checks, 8 filled-window checks; 15 pass, 4 fail, 1 error." */
export function probeTableSummary(counts: ProbeCounts): string {
  const kinds =
    counts.filled.total > 0
      ? `: ${plural(counts.short.total, "short check")}, ${plural(counts.filled.total, "filled-window check")}`
      : "";
  return `${plural(counts.total, "probe")}${kinds}; ${outcomeSummary(sumOutcomes(counts.short, counts.filled))}.`;
}

/** Below the History chart: its short checks, and the filled-window checks the Recall chart has. */
export function historySummary(counts: ProbeCounts): string {
  const short = `${plural(counts.short.total, "short check")}: ${outcomeSummary(counts.short)}.`;
  if (counts.filled.total === 0) return short;
  return `${short} ${plural(counts.filled.total, "filled-window check")}, in the Recall chart: ${outcomeSummary(counts.filled)}.`;
}
