"use client";

import { useQuery } from "@tanstack/react-query";
import { CancelRunButton } from "~/components/cancel-run-button";
import { Breadcrumb, Card, PageHeader } from "~/components/page-header";
import { DetailLoadError, Loading } from "~/components/query-state";
import { RunStatusBadge } from "~/components/status-badge";
import { retryUnlessNotFound } from "~/lib/errors";
import { isRunActive, isRunOver, RUN_MODE_LABELS } from "~/lib/status";
import { useTRPC } from "~/trpc/react";
import { CurrentActivity } from "./current-activity";
import { ModelResults } from "./model-results";
import { NotifyWhenDone } from "./notify-when-done";
import { ProbeLog } from "./probe-log";
import { RunFacts } from "./run-facts";
import { RunMessages } from "./run-messages";
import { RunOutcome } from "./run-outcome";
import { useRunEvents } from "./use-run-events";

export function RunView({ id }: { id: number }) {
  const trpc = useTRPC();
  const run = useQuery(
    trpc.run.get.queryOptions(
      { id },
      {
        refetchInterval: (query) => (query.state.data && isRunOver(query.state.data.status) ? false : 3_000),
        retry: retryUnlessNotFound,
      },
    ),
  );
  const { progress, connection } = useRunEvents(id, run.data !== undefined && isRunOver(run.data.status));
  const hostModels = useQuery(
    trpc.model.list.queryOptions({ hostId: run.data?.host.id ?? 0 }, { enabled: run.data !== undefined }),
  );

  if (run.isPending) return <Loading what={`run #${id}`} />;
  if (run.isError) {
    return (
      <DetailLoadError
        title={`Run #${id}`}
        what={`run #${id}`}
        error={run.error}
        back={{ href: "/runs", label: "Back to all runs" }}
      />
    );
  }

  // The run row is the truth once it has ended (a cancel is written there first); until then the events are newer.
  const status = isRunOver(run.data.status) ? run.data.status : (progress.status ?? run.data.status);
  const message = progress.message ?? run.data.message;
  const modelIds = new Map((hostModels.data ?? []).map((model) => [model.modelKey, model.id]));
  const isActive = isRunActive(status);

  return (
    <>
      <Breadcrumb href="/runs" label="Runs">
        #{id}
      </Breadcrumb>
      <PageHeader
        title={
          <span className="flex items-center gap-3">
            Run #{id} <RunStatusBadge status={status} />
          </span>
        }
        description={
          <>
            {RUN_MODE_LABELS[run.data.mode] ?? run.data.mode} on <strong>{run.data.host.name}</strong>,
            started by {run.data.startedBy}
            <ConnectionNote connection={connection} isActive={isActive} />
          </>
        }
        actions={
          <>
            {/* Mounted after the run ends too: that is when it notifies. */}
            <NotifyWhenDone runId={id} status={status} hostName={run.data.host.name} />
            {isActive ? <CancelRunButton runId={id} status={status} /> : null}
          </>
        }
      />
      <RunOutcome status={status} message={message} hostName={run.data.host.name} models={progress.models} />
      <div className="grid gap-4 lg:grid-cols-[3fr_2fr]">
        <div className="flex min-w-0 flex-col gap-4">
          {isActive ? (
            <Card title="Now">
              <CurrentActivity
                progress={progress}
                status={status}
                runId={id}
                cooldownMs={run.data.options.cooldownMs}
              />
            </Card>
          ) : null}
          <Card title="Results per model">
            <ModelResults
              progress={progress}
              runStatus={status}
              modelIds={modelIds}
              hasEffective={run.data.options.effective}
            />
          </Card>
          <Card title={`Probe log (${progress.probes.length})`}>
            <ProbeLog probes={progress.probes} />
          </Card>
        </div>
        <div className="flex min-w-0 flex-col gap-4">
          <Card title="Run">
            <RunFacts run={run.data} status={status} progress={progress} />
          </Card>
          <Card title="Messages">
            <RunMessages messages={progress.messages} />
          </Card>
        </div>
      </div>
    </>
  );
}

const CONNECTION_NOTES: Record<string, string> = {
  pending: "live",
  connecting: "connecting…",
  error: "connection lost, retrying…",
};

function ConnectionNote({ connection, isActive }: { connection: string; isActive: boolean }) {
  const text = CONNECTION_NOTES[connection];
  if (!isActive || !text) return null;
  return (
    <span className="ml-2 inline-flex items-center gap-1 text-xs text-slate-500">
      <span
        aria-hidden="true"
        className={`inline-block size-2 rounded-full ${connection === "pending" ? "animate-pulse bg-emerald-500" : "bg-amber-500"}`}
      />
      {text}
    </span>
  );
}
