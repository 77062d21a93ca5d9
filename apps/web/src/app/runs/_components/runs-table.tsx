import Link from "next/link";
import { CancelRunButton } from "~/components/cancel-run-button";
import { RunStatusBadge } from "~/components/status-badge";
import { CardTable, CELL, type Column, NUMBER_CELL } from "~/components/table";
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
}

const COLUMNS: Column[] = [
  { label: "Run" },
  { label: "Host" },
  { label: "Status" },
  { label: "Mode" },
  { label: "Probes", align: "right" },
  { label: "Started by" },
  { label: "Created" },
  { label: "Duration" },
  { label: "Actions", isLabelHidden: true },
];

export function RunsTable({ runs, label, now }: { runs: readonly RunRow[]; label: string; now: Date }) {
  return (
    <CardTable caption={label} columns={COLUMNS}>
      {runs.map((run) => (
        <tr key={run.id} className="hover:bg-slate-50">
          <td className={CELL}>
            <Link href={`/runs/${run.id}`} className="font-medium text-sky-800 hover:underline">
              Run #{run.id}
            </Link>
          </td>
          <td className={CELL}>{run.host.name}</td>
          <td className={CELL}>
            <RunStatusBadge status={run.status} />
            {run.message && run.status === "failed" ? (
              <div className="mt-0.5 max-w-72 truncate text-xs text-red-800" title={run.message}>
                {run.message}
              </div>
            ) : null}
          </td>
          <td className={CELL}>{RUN_MODE_LABELS[run.mode] ?? run.mode}</td>
          <td className={NUMBER_CELL}>{formatCount(run._count.probes)}</td>
          <td className={CELL}>{run.startedBy}</td>
          <td className={`${CELL} whitespace-nowrap`}>{formatShortDateTime(run.createdAt)}</td>
          <td className={`${CELL} whitespace-nowrap tabular-nums`}>
            {run.status === "queued" ? "waiting" : formatSpan(run.startedAt, run.finishedAt, now)}
          </td>
          <td className={`${CELL} text-right`}>
            {isRunActive(run.status) ? (
              <CancelRunButton runId={run.id} status={run.status} size="sm" />
            ) : null}
          </td>
        </tr>
      ))}
    </CardTable>
  );
}
