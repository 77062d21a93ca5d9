import { plural } from "@lmstrix/core";

const TONES: Record<string, string> = {
  completed: "border-emerald-200 bg-emerald-50 text-emerald-900",
  failed: "border-red-200 bg-red-50 text-red-900",
  cancelled: "border-slate-300 bg-slate-100 text-slate-800",
  interrupted: "border-amber-200 bg-amber-50 text-amber-900",
  /** Completed, with models that failed: something to look at. */
  "completed-with-failures": "border-amber-200 bg-amber-50 text-amber-900",
  queued: "border-slate-200 bg-white text-slate-700",
};

/** One sentence on where the run stands, for everything but "running" (the live panel says that). */
export function RunOutcome({
  status,
  message,
  hostName,
  models,
}: {
  status: string;
  message: string | null;
  hostName: string;
  /** The run's models so far, by status: a completed run may still have models that failed. */
  models: readonly { status: string }[];
}) {
  const failed = models.filter((model) => model.status === "failed").length;
  const sentence: Record<string, string> = {
    completed:
      failed > 0
        ? `The run completed; ${failed === models.length ? "" : `${failed} of `}${plural(models.length, "model")} failed (their reasons are below).`
        : "The run completed.",
    failed: `The run failed${message ? `: ${message}` : "."}`,
    cancelled: `The run was cancelled${message && message !== "Cancelled by user" ? `: ${message}` : " by a user."}`,
    interrupted: `The process running it stopped; it resumes where it stopped when a worker picks it up.${message ? ` (${message})` : ""}`,
    queued: `Waiting for ${hostName}: a host runs one run at a time.`,
  };
  const text = sentence[status];
  if (!text) return null;
  return (
    <p
      role="status"
      data-testid="run-outcome"
      className={`mb-4 rounded-lg border px-4 py-3 text-sm font-medium ${
        TONES[status === "completed" && failed > 0 ? "completed-with-failures" : status] ?? TONES.queued
      }`}
    >
      {text}
    </p>
  );
}
