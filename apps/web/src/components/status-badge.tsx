import { probeOutcomeLabel, RUN_STATUS_LABELS, TEST_STATUS_LABELS } from "~/lib/status";

const TEST_STATUS_CLASSES: Record<string, string> = {
  untested: "bg-slate-100 text-slate-700",
  testing: "bg-amber-100 text-amber-900",
  completed: "bg-emerald-100 text-emerald-800",
  failed: "bg-red-100 text-red-800",
  stopped: "bg-slate-200 text-slate-700",
  skipped: "bg-slate-200 text-slate-700",
};

const MODEL_STATUS_LABELS: Record<string, string> = {
  ...TEST_STATUS_LABELS,
  stopped: "Stopped",
  skipped: "⏭ Skipped",
};

const RUN_STATUS_CLASSES: Record<string, string> = {
  queued: "bg-slate-100 text-slate-700",
  running: "bg-sky-100 text-sky-800",
  completed: "bg-emerald-100 text-emerald-800",
  failed: "bg-red-100 text-red-800",
  cancelled: "bg-slate-200 text-slate-700",
  interrupted: "bg-amber-100 text-amber-900",
};

const BASE = "inline-block rounded px-2 py-0.5 text-xs font-medium whitespace-nowrap";

/**
 * A model's test status: Untested / Testing… / ✓ Tested / ✗ Failed; in a run's results also Stopped (the run
 * ended mid-search) or Skipped (someone skipped it).
 */
export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`${BASE} ${TEST_STATUS_CLASSES[status] ?? TEST_STATUS_CLASSES.untested}`}>
      {MODEL_STATUS_LABELS[status] ?? status}
    </span>
  );
}

export function RunStatusBadge({ status }: { status: string }) {
  return (
    <span
      data-testid="run-status"
      className={`${BASE} ${RUN_STATUS_CLASSES[status] ?? RUN_STATUS_CLASSES.queued}`}
    >
      {RUN_STATUS_LABELS[status] ?? status}
    </span>
  );
}

const OUTCOME_CLASSES: Record<string, string> = {
  pass: "bg-emerald-100 text-emerald-800",
  fail: "bg-red-100 text-red-800",
  error: "bg-red-100 text-red-800",
  cancelled: "bg-slate-200 text-slate-700",
};

/** A probe's outcome; `null` while it runs. */
export function OutcomeBadge({ outcome }: { outcome: string | null }) {
  const label = probeOutcomeLabel(outcome);
  return <span className={`${BASE} ${OUTCOME_CLASSES[label] ?? "bg-sky-100 text-sky-800"}`}>{label}</span>;
}
