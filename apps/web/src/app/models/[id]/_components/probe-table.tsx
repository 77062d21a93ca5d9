"use client";

import Link from "next/link";
import { useState } from "react";
import { Pagination } from "~/components/pagination";
import { CheckBadge, ProbeExchange } from "~/components/probe-questions";
import { OutcomeBadge } from "~/components/status-badge";
import { CardTable, CELL, type Column, NUMBER_CELL } from "~/components/table";
import {
  formatCount,
  formatDuration,
  formatRecall,
  formatShortDateTime,
  formatTokensPerSecond,
} from "~/lib/format";
import { probeQuestions } from "~/lib/probe-checks";
import { paginate } from "~/lib/sort";
import { type ProbeCounts, probeTableSummary } from "../_lib/probe-count";

interface ProbeRow {
  id: number;
  runId: number;
  kind: string;
  contextRequested: number;
  contextApplied: number | null;
  outcome: string | null;
  errorCategory: string | null;
  errorMessage: string | null;
  prompt: string | null;
  expectedAnswer: string | null;
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
  { label: "Check" },
  { label: "Context asked", align: "right" },
  { label: "Applied", align: "right" },
  { label: "Outcome" },
  { label: "Recall", align: "right" },
  { label: "Error" },
  { label: "Asked, expected and replied" },
  { label: "Load time", align: "right" },
  { label: "Tokens/s", align: "right" },
];

/** A filled-context probe's recall, with a mark when LM Studio processed fewer prompt tokens than sent. */
function RecallCell({ probe }: { probe: ProbeRow }) {
  if (probe.kind !== "effective") return "-";
  const recall = probe.recall === null ? "?" : formatRecall(probe.recall);
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

/** Every probe of the model, newest first; `counts` are the page's (the History card says the same). */
export function ProbeTable({ probes, counts }: { probes: readonly ProbeRow[]; counts: ProbeCounts }) {
  const [page, setPage] = useState(1);
  if (probes.length === 0) {
    return <p className="text-sm text-slate-500">No probes yet: test the model to measure its limit.</p>;
  }
  const newestFirst = [...probes].reverse();
  const shown = paginate(newestFirst, page, PAGE_SIZE);
  return (
    <>
      <p data-testid="probe-counts" className="mb-2 text-xs text-slate-600">
        {probeTableSummary(counts)}
      </p>
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
            <td className={CELL}>
              <CheckBadge check={probe.kind === "effective" ? "filled" : "short"} />
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
            <td className={`${CELL} min-w-64 max-w-96`}>
              <ProbeExchange
                asked={probeQuestions(probe.kind, probe.prompt, probe.expectedAnswer)}
                reply={probe.reply}
                empty="-"
                isCompact
              />
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
