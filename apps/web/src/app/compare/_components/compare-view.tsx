"use client";

import { plural } from "@lmstrix/core";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Breadcrumb, Card, PageHeader } from "~/components/page-header";
import { DetailLoadError, DetailProblem, Loading } from "~/components/query-state";
import { retryUnlessNotFound } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";
import { DEFAULT_THRESHOLDS, readStoredThresholds, type SpeedThresholds } from "../../models/[id]/_lib/speed";
import { parseCompareModels } from "../_lib/compare-url";
import { CompareHistoryChart } from "./compare-history-chart";
import { CompareLimits } from "./compare-limits";
import { CompareSpeedChart } from "./compare-speed-chart";

const TITLE = "Compare models";
const BACK = { href: "/models", label: "Back to all models" };

/** The Compare page for the address's `models` (raw, as written): a wrong address says what is wrong. */
export function CompareView({ models }: { models: string | null }) {
  const request = parseCompareModels(models);
  if (request.ids === null) {
    return (
      <DetailProblem title={TITLE} back={BACK}>
        <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-4 text-amber-900">
          {request.problem}
        </div>
      </DetailProblem>
    );
  }
  return <Comparison ids={request.ids} />;
}

function Comparison({ ids }: { ids: number[] }) {
  const trpc = useTRPC();
  const compared = useQuery(trpc.model.compare.queryOptions({ ids }, { retry: retryUnlessNotFound }));
  const [thresholds, setThresholds] = useState<SpeedThresholds>(DEFAULT_THRESHOLDS);
  // Stored thresholds are read after mount, so the server's render and the first client render agree.
  useEffect(() => setThresholds(readStoredThresholds()), []);

  if (compared.isPending) return <Loading what="the models" />;
  if (compared.isError) {
    return <DetailLoadError title={TITLE} what="the models" error={compared.error} back={BACK} />;
  }
  const models = compared.data;
  const hosts = new Set(models.map((model) => model.host.id)).size;
  return (
    <>
      <Breadcrumb href="/models" label="Models">
        Compare
      </Breadcrumb>
      <PageHeader
        title={TITLE}
        description={`${plural(models.length, "model")} on ${plural(hosts, "host")}: ${models
          .map((model) => model.modelKey)
          .join(", ")}.`}
      />
      <div className="flex flex-col gap-4">
        <Card title="Context limits">
          <CompareLimits models={models} thresholds={thresholds} />
          <p className="mt-3 text-xs text-slate-500">
            Comfortable: the largest measured context with generation at {thresholds.minGenTokensPerSec} tok/s
            or more and the first token within {thresholds.maxTtftSec} s, as set on a Model page.
          </p>
        </Card>
        <Card title="Loadable limit over time">
          <CompareHistoryChart models={models} />
        </Card>
        <Card title="Generation speed by context size">
          <CompareSpeedChart models={models} />
        </Card>
      </div>
    </>
  );
}
