"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { type ReactNode, useId } from "react";
import { HostOptions, INPUT_CLASS } from "~/components/field";
import { Card, PageHeader } from "~/components/page-header";
import { EmptyState, LoadError, Loading } from "~/components/query-state";
import { CardTable, CELL, WIDE_ONLY } from "~/components/table";
import { formatShortDateTime } from "~/lib/format";
import { useUrlState } from "~/lib/use-url-state";
import { useTRPC } from "~/trpc/react";
import { changesViewParams, parseChangesView } from "../_lib/changes-url";

const COLUMNS = [
  { label: "When", isWideOnly: true },
  { label: "Host" },
  { label: "Model" },
  { label: "Limit", isWideOnly: true },
  { label: "Change" },
  { label: "What moved" },
  { label: "Run", isWideOnly: true },
] as const;

const DIRECTION_CLASSES = {
  regression: "bg-red-100 text-red-800",
  improvement: "bg-emerald-100 text-emerald-800",
} as const;

/** Limits re-tests moved, newest first: what a team reads after an upgrade. */
export function ChangesView() {
  const trpc = useTRPC();
  const [view, setView] = useUrlState(parseChangesView, changesViewParams);
  const hosts = useQuery(trpc.host.list.queryOptions());
  const changes = useQuery(
    trpc.changes.list.queryOptions(
      {
        ...(view.hostId !== "all" && { hostId: view.hostId }),
        ...(view.direction !== "all" && { direction: view.direction }),
      },
      { refetchInterval: 5_000, placeholderData: (previous) => previous },
    ),
  );
  const hostSelectId = useId();
  const directionSelectId = useId();

  let body: ReactNode;
  if (changes.isPending) body = <Loading what="changes" />;
  else if (changes.isError) body = <LoadError what="changes" error={changes.error} />;
  else if (changes.data.length === 0) {
    body = (
      <EmptyState title="No limit changes">
        <p>
          When a re-test moves a limit by more than the search's precision — after an LM Studio upgrade or a
          new model file — it is listed here. Re-test stale results from the{" "}
          <a href="/models" className="font-medium text-sky-800 underline">
            Models
          </a>{" "}
          page, or with <code>pnpm lmstrix test --stale</code>.
        </p>
      </EmptyState>
    );
  } else {
    body = (
      <Card title={`Changes (${changes.data.length})`}>
        <CardTable caption="Limit changes, newest first" columns={COLUMNS}>
          {changes.data.map((change) => (
            <tr key={change.id}>
              <td className={`${CELL} ${WIDE_ONLY} whitespace-nowrap`}>
                {formatShortDateTime(change.createdAt)}
              </td>
              <td className={`${CELL} whitespace-nowrap`}>{change.hostName}</td>
              <td className={CELL}>
                <Link
                  href={`/models/${change.modelId}`}
                  className="font-mono text-xs font-medium break-all text-sky-800 hover:underline"
                >
                  {change.modelKey}
                </Link>
              </td>
              <td className={`${CELL} ${WIDE_ONLY}`}>{change.kind}</td>
              <td className={CELL}>
                <span
                  className={`inline-block rounded px-2 py-0.5 text-xs font-medium ${DIRECTION_CLASSES[change.direction]}`}
                >
                  {change.direction === "regression" ? "▼ Regression" : "▲ Improvement"}
                </span>
              </td>
              <td className={`${CELL} tabular-nums`}>{change.description}</td>
              <td className={`${CELL} ${WIDE_ONLY}`}>
                <Link href={`/runs/${change.runId}`} className="text-sky-800 hover:underline">
                  #{change.runId}
                </Link>
              </td>
            </tr>
          ))}
        </CardTable>
      </Card>
    );
  }

  return (
    <>
      <PageHeader
        title="Changes"
        description="Limits a re-test moved by more than the precision, with what changed in between."
        actions={
          <div className="flex flex-wrap items-center gap-2">
            <label htmlFor={hostSelectId} className="text-sm font-medium text-slate-700">
              Host
            </label>
            <select
              id={hostSelectId}
              value={String(view.hostId)}
              onChange={(event) =>
                setView((current) => ({
                  ...current,
                  hostId: event.target.value === "all" ? "all" : Number(event.target.value),
                }))
              }
              className={`${INPUT_CLASS} w-auto`}
            >
              <option value="all">All hosts</option>
              <HostOptions hosts={hosts.data} />
            </select>
            <label htmlFor={directionSelectId} className="text-sm font-medium text-slate-700">
              Direction
            </label>
            <select
              id={directionSelectId}
              value={view.direction}
              onChange={(event) =>
                setView((current) => ({
                  ...current,
                  direction: parseChangesView(new URLSearchParams({ direction: event.target.value }))
                    .direction,
                }))
              }
              className={`${INPUT_CLASS} w-auto`}
            >
              <option value="all">Both</option>
              <option value="regression">Regressions</option>
              <option value="improvement">Improvements</option>
            </select>
          </div>
        }
      />
      {body}
    </>
  );
}
