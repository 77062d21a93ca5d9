"use client";

import { useQuery } from "@tanstack/react-query";
import { Card } from "~/components/page-header";
import { LoadError, Loading } from "~/components/query-state";
import { formatCount } from "~/lib/format";
import { useTRPC } from "~/trpc/react";

const STATUS_CLASS = { ok: "text-emerald-700", warning: "text-amber-700", error: "text-red-700" } as const;
const SEVERITY_CLASS = {
  error: "border-red-200 bg-red-50 text-red-900",
  warning: "border-amber-200 bg-amber-50 text-amber-900",
  info: "border-slate-200 bg-slate-50 text-slate-800",
} as const;

function formatMegabytes(bytes: number): string {
  return `${(bytes / 1024 ** 2).toLocaleString("en-US", { maximumFractionDigits: 1 })} MB`;
}

export function HealthSummary() {
  const trpc = useTRPC();
  const health = useQuery(trpc.health.get.queryOptions());
  if (health.isPending) return <Loading what="health" />;
  if (health.isError) return <LoadError what="health" error={health.error} />;
  const { status, version, report, error } = health.data;
  return (
    <Card title="Database">
      <p className="mb-3 text-lg">
        Status:{" "}
        <strong data-testid="health-status" className={STATUS_CLASS[status]}>
          {status}
        </strong>
      </p>
      {error ? (
        <p role="alert" className="mb-3 rounded border border-red-300 bg-red-50 p-3 text-sm text-red-800">
          {error}
        </p>
      ) : null}
      {report ? (
        <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm">
          <dt className="font-medium">Version</dt>
          <dd>{version}</dd>
          <dt className="font-medium">Database file</dt>
          <dd className="font-mono break-all">{report.database.path}</dd>
          <dt className="font-medium">Size</dt>
          <dd>
            {formatMegabytes(report.database.sizeBytes)} (+ {formatMegabytes(report.database.walBytes)}{" "}
            write-ahead log)
          </dd>
          <dt className="font-medium">Schema version</dt>
          <dd className="font-mono">{report.database.migrationVersion ?? "-"}</dd>
          <dt className="font-medium">Integrity check</dt>
          <dd>{report.integrity.result.join("; ")}</dd>
          <dt className="font-medium">Foreign keys</dt>
          <dd>
            {report.integrity.foreignKeyViolations.length === 0
              ? "ok"
              : `${report.integrity.foreignKeyViolations.length} violation(s)`}
          </dd>
          {report.counts ? (
            <>
              <dt className="font-medium">Contents</dt>
              <dd>
                {formatCount(report.counts.hosts)} hosts, {formatCount(report.counts.models)} models,{" "}
                {formatCount(report.counts.runs)} runs, {formatCount(report.counts.probes)} probes
              </dd>
            </>
          ) : null}
        </dl>
      ) : null}
      {report && report.problems.length > 0 ? (
        <div className="mt-4">
          <h3 className="mb-2 font-semibold">Problems ({formatCount(report.problems.length)})</h3>
          <ul className="grid gap-2">
            {report.problems.map((problem) => (
              <li
                key={`${problem.kind}-${problem.message}`}
                className={`rounded border px-3 py-2 text-sm ${SEVERITY_CLASS[problem.severity as keyof typeof SEVERITY_CLASS] ?? SEVERITY_CLASS.info}`}
              >
                {problem.message}
                {problem.repairable ? " (pnpm lmstrix health --repair fixes this)" : ""}
              </li>
            ))}
          </ul>
        </div>
      ) : report ? (
        <p className="mt-4 text-sm text-slate-600">No data problems found.</p>
      ) : null}
    </Card>
  );
}
