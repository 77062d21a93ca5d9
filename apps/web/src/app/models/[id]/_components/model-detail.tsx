"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "~/components/button";
import { Breadcrumb, Card, PageHeader } from "~/components/page-header";
import { DetailLoadError, Loading } from "~/components/query-state";
import { StatusBadge } from "~/components/status-badge";
import { TestOptionsDialog } from "~/components/test-options-dialog";
import { useStartRuns } from "~/components/use-start-runs";
import { retryUnlessNotFound } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";
import { isTestable } from "../../_lib/model-rows";
import { chartThreshold } from "../_lib/effective-runs";
import { countProbes, probesTitle } from "../_lib/probe-count";
import { recallMap } from "../_lib/recall-map";
import { ApplyToLmStudio } from "./apply-to-lmstudio";
import { ComfortableLimit } from "./comfortable-limit";
import { EffectiveRuns } from "./effective-runs";
import { HistoryChart } from "./history-chart";
import { LimitSummary } from "./limit-summary";
import { ModelFacts } from "./model-facts";
import { ModelRuns } from "./model-runs";
import { ProbeTable } from "./probe-table";
import { RecallChart } from "./recall-chart";
import { RecallMap } from "./recall-map";
import { SpeedChart } from "./speed-chart";

export function ModelDetail({ id }: { id: number }) {
  const trpc = useTRPC();
  const detail = useQuery(
    trpc.model.get.queryOptions(
      { id },
      {
        refetchInterval: (query) => (query.state.data?.model.testStatus === "testing" ? 3_000 : false),
        retry: retryUnlessNotFound,
      },
    ),
  );
  const [isDialogOpen, setDialogOpen] = useState(false);
  const startRuns = useStartRuns();

  if (detail.isPending) return <Loading what="the model" />;
  if (detail.isError) {
    return (
      <DetailLoadError
        title="Model"
        what="the model"
        error={detail.error}
        back={{ href: "/models", label: "Back to all models" }}
      />
    );
  }

  const { model, probes, probeTotal, runs, effectiveRuns } = detail.data;
  const recallThreshold = chartThreshold(runs, probes);
  const canTest = isTestable(model);
  // The history chart is the loadable search's; filled-context checks have a chart of their own.
  const loadableProbes = probes.filter((probe) => probe.kind === "loadable");
  const hasFilledChecks = probes.some((probe) => probe.kind === "effective" && probe.recall !== null);
  // Filled checks written before their needles were kept have a recall but no map.
  const hasRecallMap = recallMap(probes) !== null;
  // One count for the History card and the Probes card, so that the two agree.
  const counts = countProbes(probes);
  return (
    <>
      <Breadcrumb href="/models" label="Models">
        {model.host.name}
      </Breadcrumb>
      <PageHeader
        title={<span className="font-mono">{model.modelKey}</span>}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <span>{model.displayName}</span>
            <span aria-hidden="true">·</span>
            <span>on {model.host.name}</span>
            <StatusBadge status={model.testStatus} />
            {model.isPresent ? null : (
              <span className="rounded bg-slate-200 px-2 py-0.5 text-xs font-medium text-slate-700">
                Gone from the host — kept for its history
              </span>
            )}
          </span>
        }
        actions={
          <span className="flex gap-2">
            <ApplyToLmStudio modelId={model.id} />
            <Button
              variant="primary"
              disabled={!canTest}
              title={canTest ? undefined : "Only LLMs still on their host can be tested"}
              onClick={() => {
                startRuns.reset();
                setDialogOpen(true);
              }}
            >
              Test
            </Button>
          </span>
        }
      />
      <div className="grid gap-4 lg:grid-cols-[2fr_1fr]">
        <div className="flex min-w-0 flex-col gap-4">
          <Card title="Context limits">
            <LimitSummary model={model} probes={probes} latestEffectiveRun={effectiveRuns.at(-1)} />
          </Card>
          <Card title="History">
            <HistoryChart probes={loadableProbes} declared={model.declaredContext} counts={counts} />
          </Card>
          {hasFilledChecks ? (
            <Card title="Recall vs context (filled-context checks)">
              <RecallChart
                probes={probes}
                effectiveLimit={model.effectiveLimit}
                threshold={recallThreshold}
                effectiveRun={effectiveRuns.find((run) => run.runId === recallThreshold?.runId)}
              />
            </Card>
          ) : null}
          {hasRecallMap ? (
            <Card title="Recall by needle depth (needle in a haystack)">
              <RecallMap probes={probes} />
            </Card>
          ) : null}
          <Card title="Speed by context size">
            <SpeedChart probes={probes} />
          </Card>
        </div>
        <div className="flex min-w-0 flex-col gap-4">
          <Card title="Comfortable limit">
            <ComfortableLimit probes={probes} limits={model} />
          </Card>
          {effectiveRuns.length > 0 ? (
            <Card title="Effective limit, run by run">
              <EffectiveRuns runs={effectiveRuns} />
            </Card>
          ) : null}
          <Card title="Facts">
            <ModelFacts model={model} />
          </Card>
          <Card title="Runs that tested it">
            <ModelRuns runs={runs} />
          </Card>
        </div>
      </div>
      <Card title={probesTitle(probes.length, probeTotal)} className="mt-4">
        <ProbeTable probes={probes} counts={counts} />
      </Card>
      <TestOptionsDialog
        open={isDialogOpen}
        title={`Test ${model.modelKey}`}
        summary={`Finds the largest context ${model.modelKey} loads and answers at on ${model.host.name}.`}
        isPending={startRuns.isPending}
        error={startRuns.error}
        onClose={() => setDialogOpen(false)}
        onStart={(options) =>
          startRuns.mutate({ requests: [{ hostId: model.host.id, modelKeys: [model.modelKey] }], options })
        }
      />
    </>
  );
}
