import Link from "next/link";
import { CancelRunButton } from "~/components/cancel-run-button";
import { RunStatusBadge } from "~/components/status-badge";
import { CardTable, CELL, type Column, NUMBER_CELL, WIDE_ONLY } from "~/components/table";
import { formatCount, formatShortDateTime, formatSpan } from "~/lib/format";
import { isRunActive, RUN_MODE_LABELS } from "~/lib/status";

interface RunRow {
  id: number;
  status: string;
  mode: string;
  startedBy: string;
  message: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  host: { id: number; name: string };
  _count: { probes: number };
  /** What it was asked to test ("all", "qwen3-8b", "2 models"), and the models it named. */
  scope: string;
  modelKeys: readonly string[];
}

// On a phone: the run (with its host and duration under it), its status and Cancel.
const COLUMNS: Column[] = [
  { label: "Run" },
  { label: "Host", isWideOnly: true },
  { label: "Status" },
  { label: "Mode", isWideOnly: true },
  { label: "Models", isWideOnly: true },
  { label: "Probes", align: "right", isWideOnly: true },
  { label: "Started by", isWideOnly: true },
  { label: "Created", isWideOnly: true },
  { label: "Duration", isWideOnly: true },
  { label: "Actions", isLabelHidden: true },
];

export function RunsTable({ runs, label, now }: { runs: readonly RunRow[]; label: string; now: Date }) {
  return (
    <CardTable caption={label} columns={COLUMNS}>
      {runs.map((run) => {
        const duration = run.status === "queued" ? "waiting" : formatSpan(run.startedAt, run.finishedAt, now);
        return (
          <tr key={run.id} className="hover:bg-slate-50">
            <td className={CELL}>
              <Link
                href={`/runs/${run.id}`}
                className="font-medium whitespace-nowrap text-sky-800 hover:underline"
              >
                Run #{run.id}
              </Link>
              <div className="text-xs text-slate-600 sm:hidden">
                {run.host.name} · {duration}
              </div>
            </td>
            <td className={`${CELL} ${WIDE_ONLY}`}>{run.host.name}</td>
            <td className={CELL}>
              <RunStatusBadge status={run.status} />
              {run.message && run.status === "failed" ? (
                <div className="mt-0.5 max-w-72 truncate text-xs text-red-800" title={run.message}>
                  {run.message}
                </div>
              ) : null}
            </td>
            <td className={`${CELL} ${WIDE_ONLY}`}>{RUN_MODE_LABELS[run.mode] ?? run.mode}</td>
            <td
              className={`${CELL} ${WIDE_ONLY} max-w-48 truncate`}
              title={run.modelKeys.length > 1 ? run.modelKeys.join(", ") : undefined}
            >
              {run.scope}
            </td>
            <td className={`${NUMBER_CELL} ${WIDE_ONLY}`}>{formatCount(run._count.probes)}</td>
            <td className={`${CELL} ${WIDE_ONLY}`}>{run.startedBy}</td>
            <td className={`${CELL} ${WIDE_ONLY} whitespace-nowrap`}>{formatShortDateTime(run.createdAt)}</td>
            <td className={`${CELL} ${WIDE_ONLY} whitespace-nowrap tabular-nums`}>{duration}</td>
            <td className={`${CELL} text-right`}>
              {isRunActive(run.status) ? (
                <CancelRunButton runId={run.id} status={run.status} size="sm" />
              ) : null}
            </td>
          </tr>
        );
      })}
    </CardTable>
  );
}
