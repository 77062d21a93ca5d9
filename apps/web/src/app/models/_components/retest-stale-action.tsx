"use client";

import { plural } from "@lmstrix/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { Button } from "~/components/button";
import { useTRPC } from "~/trpc/react";
import type { ModelRow } from "../_lib/model-rows";

/**
 * "Re-test stale": one run per host over the models whose results were measured under another LM Studio
 * version or model file. Says what it queued (with links to the runs), or that nothing is stale.
 */
export function RetestStaleAction({ models }: { models: readonly ModelRow[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const retest = useMutation(
    trpc.changes.retestStale.mutationOptions({
      onSettled: () => void queryClient.invalidateQueries(trpc.run.list.pathFilter()),
    }),
  );
  const staleCount = models.filter((model) => model.isPresent && model.stale.length > 0).length;
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
      <Button
        size="sm"
        disabled={retest.isPending}
        title={staleCount === 0 ? "No result is stale" : undefined}
        onClick={() => retest.mutate(undefined)}
      >
        Re-test stale{staleCount > 0 ? ` (${staleCount})` : ""}
      </Button>
      <span className="text-slate-600">
        {staleCount === 0
          ? "No stale results"
          : `${plural(staleCount, "result")} measured under another LM Studio version or model file`}
      </span>
      {retest.data ? (
        <p role="status" className="w-full text-slate-700">
          {retest.data.runs.length === 0
            ? retest.data.message
            : retest.data.runs.map((run, index) => (
                <span key={run.runId}>
                  {index > 0 ? "; " : ""}
                  <Link href={`/runs/${run.runId}`} className="font-medium text-sky-800 underline">
                    Run #{run.runId}
                  </Link>{" "}
                  on {run.hostName}: {plural(run.modelKeys.length, "stale model")}
                </span>
              ))}
        </p>
      ) : null}
      {retest.error ? (
        <p role="alert" className="w-full text-red-700">
          Could not re-test: {retest.error.message}
        </p>
      ) : null}
    </div>
  );
}
