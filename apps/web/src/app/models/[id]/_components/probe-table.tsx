"use client";

import Link from "next/link";
import { useState } from "react";
import { Pagination } from "~/components/pagination";
import { OutcomeBadge } from "~/components/status-badge";
import { CardTable, CELL, type Column, NUMBER_CELL } from "~/components/table";
import { formatCount, formatDuration, formatShortDateTime, formatTokensPerSecond } from "~/lib/format";
import { paginate } from "~/lib/sort";

interface ProbeRow {
  id: number;
  runId: number;
  kind: string;
  contextRequested: number;
  contextApplied: number | null;
  outcome: string | null;
  errorCategory: string | null;
  errorMessage: string | null;
  reply: string | null;
  loadMs: number | null;
  genTokensPerSec: number | null;
  recall: number | null;
  promptTokens: number | null;
  promptTokensSent: number | null;
  isTruncated: boolean | null;
  startedAt: Date;
}

const PAGE_SIZE = 50;
const COLUMNS: Column[] = [
  { label: "When" },
  { label: "Run" },
  { label: "Context asked", align: "right" },
  { label: "Applied", align: "right" },
  { label: "Outcome" },
  { label: "Recall", align: "right" },
  { label: "Error" },
  { label: "Reply" },
  { label: "Load time", align: "right" },
  { label: "Tokens/s", align: "right" },
];

/** A filled-context probe's recall, with a mark when LM Studio processed fewer prompt tokens than sent. */
function RecallCell({ probe }: { probe: ProbeRow }) {
  if (probe.kind !== "effective") return "-";
  const recall = probe.recall === null ? "?" : `${Math.round(probe.recall * 100)} %`;
  return (
    <span
      className="whitespace-nowrap"
      title={`filled check: ${formatCount(probe.promptTokensSent)} prompt tokens sent, ${formatCount(probe.promptTokens)} processed`}
    >
      {recall}
      {probe.isTruncated ? (
        <span className="ml-1 rounded bg-amber-100 px-1 text-xs font-medium text-amber-800">truncated</span>
      ) : null}
    </span>
  );
}

/** Every probe of the model, newest first. */
export function ProbeTable({ probes }: { probes: readonly ProbeRow[] }) {
  const [page, setPage] = useState(1);
  if (probes.length === 0) {
    return <p className="text-sm text-slate-500">No probes yet: test the model to measure its limit.</p>;
  }
  const newestFirst = [...probes].reverse();
  const shown = paginate(newestFirst, page, PAGE_SIZE);
  return (
    <>
      <CardTable caption="Probes of this model, newest first" columns={COLUMNS}>
        {shown.rows.map((probe) => (
          <tr key={probe.id} data-testid="probe-row">
            <td className={`${CELL} whitespace-nowrap`}>
              {formatShortDateTime(probe.startedAt, { seconds: true })}
            </td>
            <td className={CELL}>
              <Link href={`/runs/${probe.runId}`} className="text-sky-800 hover:underline">
                #{probe.runId}
              </Link>
            </td>
            <td className={NUMBER_CELL}>{formatCount(probe.contextRequested)}</td>
            <td className={NUMBER_CELL}>{formatCount(probe.contextApplied)}</td>
            <td className={CELL}>
              <OutcomeBadge outcome={probe.outcome} />
            </td>
            <td className={NUMBER_CELL}>
              <RecallCell probe={probe} />
            </td>
            <td className={`${CELL} max-w-64`}>
              {probe.errorCategory ? (
                <span title={probe.errorMessage ?? undefined} className="font-mono text-xs text-red-800">
                  {probe.errorCategory}
                </span>
              ) : (
                "-"
              )}
            </td>
            <td className={`${CELL} max-w-64 truncate`} title={probe.reply ?? undefined}>
              {probe.reply ? <q className="text-slate-700">{probe.reply}</q> : "-"}
            </td>
            <td className={NUMBER_CELL}>{formatDuration(probe.loadMs)}</td>
            <td className={NUMBER_CELL}>{formatTokensPerSecond(probe.genTokensPerSec)}</td>
          </tr>
        ))}
      </CardTable>
      {shown.pageCount > 1 ? (
        <Pagination
          page={shown.page}
          pageCount={shown.pageCount}
          start={shown.start}
          shown={shown.rows.length}
          total={probes.length}
          what="probes"
          onPage={setPage}
        />
      ) : null}
    </>
  );
}
