"use client";

import { useQuery } from "@tanstack/react-query";
import { LoadError, Loading } from "~/components/query-state";
import { useTRPC } from "~/trpc/react";

export function HealthReportView() {
  const trpc = useTRPC();
  const health = useQuery(trpc.health.get.queryOptions());

  if (health.isPending) return <Loading what="health" />;
  if (health.isError) return <LoadError what="health" error={health.error} />;
  const { status, version, database } = health.data;
  const isOk = status === "ok";
  return (
    <section className="rounded border border-slate-200 bg-white p-4">
      <p className="mb-3 text-lg">
        Status:{" "}
        <strong data-testid="health-status" className={isOk ? "text-emerald-700" : "text-red-700"}>
          {isOk ? "ok" : "error"}
        </strong>
      </p>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm">
        <dt className="font-medium">Version</dt>
        <dd>{version}</dd>
        <dt className="font-medium">Database file</dt>
        <dd className="font-mono">{database.path ?? "-"}</dd>
        <dt className="font-medium">Schema version</dt>
        <dd className="font-mono">{database.migration ?? "-"}</dd>
        <dt className="font-medium">Integrity check</dt>
        <dd>{database.integrity ?? "-"}</dd>
        {database.error ? (
          <>
            <dt className="font-medium">Error</dt>
            <dd className="text-red-700">{database.error}</dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}
