"use client";

import { useQuery } from "@tanstack/react-query";
import { EmptyState, LoadError, Loading } from "~/components/query-state";
import { formatCount, formatDateTime } from "~/lib/format";
import { useTRPC } from "~/trpc/react";

export function RunsTable() {
  const trpc = useTRPC();
  const runs = useQuery(trpc.run.list.queryOptions());

  if (runs.isPending) return <Loading what="runs" />;
  if (runs.isError) return <LoadError what="runs" error={runs.error} />;
  if (runs.data.length === 0) {
    return (
      <EmptyState title="No runs yet">
        <p>
          A run tests one model or all of a host's models. Start one with <code>pnpm lmstrix test --all</code>
          .
        </p>
      </EmptyState>
    );
  }
  return (
    <div className="overflow-x-auto rounded border border-slate-200 bg-white">
      <table className="min-w-full text-sm">
        <thead className="bg-slate-100 text-left text-xs uppercase tracking-wide text-slate-600">
          <tr>
            {["Run", "Host", "Mode", "Status", "Probes", "Started by", "Created", "Finished"].map(
              (header) => (
                <th key={header} scope="col" className="px-3 py-2 font-semibold">
                  {header}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {runs.data.map((run) => (
            <tr key={run.id}>
              <td className="px-3 py-2 tabular-nums">#{run.id}</td>
              <td className="px-3 py-2">{run.host.name}</td>
              <td className="px-3 py-2">{run.mode}</td>
              <td className="px-3 py-2">{run.status}</td>
              <td className="px-3 py-2 text-right tabular-nums">{formatCount(run._count.probes)}</td>
              <td className="px-3 py-2">{run.startedBy}</td>
              <td className="px-3 py-2 whitespace-nowrap">{formatDateTime(run.createdAt)}</td>
              <td className="px-3 py-2 whitespace-nowrap">{formatDateTime(run.finishedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
