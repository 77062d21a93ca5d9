"use client";

import { plural } from "@lmstrix/core";
import { useQuery } from "@tanstack/react-query";
import { type Fact, FactList } from "~/components/facts";
import { Card } from "~/components/page-header";
import { InlineError, LoadError, Loading } from "~/components/query-state";
import { formatCount, formatMegabytes } from "~/lib/format";
import { useTRPC } from "~/trpc/react";

const STATUS_CLASS = { ok: "text-emerald-700", warning: "text-amber-700", error: "text-red-700" } as const;
const SEVERITY_CLASS = {
  error: "border-red-200 bg-red-50 text-red-900",
  warning: "border-amber-200 bg-amber-50 text-amber-900",
  info: "border-slate-200 bg-slate-50 text-slate-800",
} as const;

export function HealthSummary() {
  const trpc = useTRPC();
  const health = useQuery(trpc.health.get.queryOptions());
  if (health.isPending) return <Loading what="health" />;
  if (health.isError) return <LoadError what="health" error={health.error} />;
  const { status, version, report, error } = health.data;
  const facts: Fact[] = report
    ? [
        ["Version", version],
        ["Database file", report.database.path, "font-mono break-all"],
        [
          "Size",
          `${formatMegabytes(report.database.sizeBytes)} (+ ${formatMegabytes(report.database.walBytes)} write-ahead log)`,
        ],
        ["Schema version", report.database.migrationVersion ?? "-", "font-mono"],
        ["Integrity check", report.integrity.result.join("; ")],
        [
          "Foreign keys",
          report.integrity.foreignKeyViolations.length === 0
            ? "ok"
            : plural(report.integrity.foreignKeyViolations.length, "violation"),
        ],
      ]
    : [];
  if (report?.counts) {
    const { hosts, models, runs, probes } = report.counts;
    facts.push([
      "Contents",
      [plural(hosts, "host"), plural(models, "model"), plural(runs, "run"), plural(probes, "probe")].join(
        ", ",
      ),
    ]);
  }
  return (
    <Card title="Database">
      <p className="mb-3 text-lg">
        Status:{" "}
        <strong data-testid="health-status" className={STATUS_CLASS[status]}>
          {status}
        </strong>
      </p>
      <InlineError error={error} className="mb-3" />
      {report ? <FactList facts={facts} /> : null}
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
