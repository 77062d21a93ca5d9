import { isFinishedRunStatus } from "@lmstrix/core";

/** The words lmstrix prints for a model's test status. */
export const TEST_STATUS_LABELS: Record<string, string> = {
  untested: "Untested",
  testing: "Testing…",
  completed: "✓ Tested",
  failed: "✗ Failed",
};

export const RUN_STATUS_LABELS: Record<string, string> = {
  queued: "Queued",
  running: "Running",
  completed: "Completed",
  failed: "Failed",
  cancelled: "Cancelled",
  interrupted: "Interrupted",
};

export const RUN_MODE_LABELS: Record<string, string> = {
  single: "Search",
  all: "Test all",
  "fixed-ctx": "Fixed context",
};

/** A run that may still change: it can be cancelled and its page keeps listening. */
export function isRunActive(status: string): boolean {
  return status === "queued" || status === "running" || status === "interrupted";
}

/** A run that has ended for good: its row is final and no more events follow. */
export function isRunOver(status: string | null): boolean {
  return isFinishedRunStatus(status);
}

/** Pass green, fail red, everything else (error, cancelled, in flight) grey — the same on every page. */
export function probeOutcomeTone(outcome: string | null): "pass" | "fail" | "other" {
  if (outcome === "pass") return "pass";
  if (outcome === "fail" || outcome === "error") return "fail";
  return "other";
}

/** The words for a probe's outcome, in the order the pages count them; an open probe is "running". */
export const PROBE_OUTCOME_LABELS = ["pass", "fail", "error", "cancelled", "running"] as const;
export type ProbeOutcomeLabel = (typeof PROBE_OUTCOME_LABELS)[number];

/** A probe's outcome as its badge says it; `null` (still open) is "running". */
export function probeOutcomeLabel(outcome: string | null): ProbeOutcomeLabel {
  return PROBE_OUTCOME_LABELS.find((label) => label === outcome) ?? "running";
}
