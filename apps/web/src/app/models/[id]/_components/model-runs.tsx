import Link from "next/link";
import { RunStatusBadge } from "~/components/status-badge";
import { formatShortDateTime, formatSpan } from "~/lib/format";
import { RUN_MODE_LABELS } from "~/lib/status";

interface RunSummary {
  id: number;
  status: string;
  mode: string;
  startedBy: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export function ModelRuns({ runs }: { runs: readonly RunSummary[] }) {
  if (runs.length === 0) return <p className="text-sm text-slate-500">No run has tested this model yet.</p>;
  return (
    <ul className="divide-y divide-slate-100 text-sm">
      {runs.map((run) => (
        <li key={run.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
          <span className="flex items-center gap-2">
            <Link href={`/runs/${run.id}`} className="font-medium text-sky-800 hover:underline">
              Run #{run.id}
            </Link>
            <RunStatusBadge status={run.status} />
          </span>
          <span className="text-xs text-slate-500">
            {RUN_MODE_LABELS[run.mode] ?? run.mode} · started by {run.startedBy} ·{" "}
            {/* How long it ran, as the Runs page and the CLI count it: from its start, not from when it was queued. */}
            {formatShortDateTime(run.createdAt)} · {formatSpan(run.startedAt, run.finishedAt)}
          </span>
        </li>
      ))}
    </ul>
  );
}
