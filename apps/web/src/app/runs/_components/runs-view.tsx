"use client";

import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useId } from "react";
import { HostOptions, INPUT_CLASS } from "~/components/field";
import { Card, PageHeader } from "~/components/page-header";
import { EmptyState, LoadError, Loading } from "~/components/query-state";
import { useNow } from "~/components/use-now";
import { isRunActive } from "~/lib/status";
import { useUrlState } from "~/lib/use-url-state";
import { useTRPC } from "~/trpc/react";
import { parseRunsView, runsViewParams } from "../_lib/runs-url";
import { RunsTable } from "./runs-table";

/** Queue and history, per host or all, refreshed every few seconds so a night's batch can be watched. */
export function RunsView() {
  const trpc = useTRPC();
  const [{ hostId }, setView] = useUrlState(parseRunsView, runsViewParams);
  const hosts = useQuery(trpc.host.list.queryOptions());
  const runs = useQuery(
    trpc.run.list.queryOptions(hostId === "all" ? { take: 200 } : { hostId, take: 200 }, {
      refetchInterval: 3_000,
      placeholderData: (previous) => previous,
    }),
  );
  const selectId = useId();
  const queue = (runs.data ?? []).filter((run) => isRunActive(run.status));
  const history = (runs.data ?? []).filter((run) => !isRunActive(run.status));
  const now = useNow(queue.some((run) => run.status === "running"));

  let body: ReactNode;
  if (runs.isPending) body = <Loading what="runs" />;
  else if (runs.isError) body = <LoadError what="runs" error={runs.error} />;
  else if (runs.data.length === 0) {
    body = (
      <EmptyState title="No runs yet">
        <p>
          A run tests one model or all of a host's models. Start one from the{" "}
          <a href="/models" className="font-medium text-sky-800 underline">
            Models
          </a>{" "}
          page, or with <code>pnpm lmstrix test --all</code>.
        </p>
      </EmptyState>
    );
  } else {
    body = (
      <div className="flex flex-col gap-4">
        <Card title={`Queue (${queue.length})`}>
          {queue.length === 0 ? (
            <p className="text-sm text-slate-500">Nothing queued or running.</p>
          ) : (
            <RunsTable runs={queue} label="Queued and running runs" now={now} />
          )}
        </Card>
        <Card title={`History (${history.length})`}>
          {history.length === 0 ? (
            <p className="text-sm text-slate-500">No run has finished yet.</p>
          ) : (
            <RunsTable runs={history} label="Finished runs, newest first" now={now} />
          )}
        </Card>
      </div>
    );
  }

  return (
    <>
      <PageHeader
        title="Runs"
        description="Each host runs one run at a time; the others wait in its queue."
        actions={
          <div className="flex items-center gap-2">
            <label htmlFor={selectId} className="text-sm font-medium text-slate-700">
              Host
            </label>
            <select
              id={selectId}
              value={String(hostId)}
              onChange={(event) =>
                setView({ hostId: event.target.value === "all" ? "all" : Number(event.target.value) })
              }
              className={`${INPUT_CLASS} w-auto`}
            >
              <option value="all">All hosts</option>
              <HostOptions hosts={hosts.data} />
            </select>
          </div>
        }
      />
      {body}
    </>
  );
}
