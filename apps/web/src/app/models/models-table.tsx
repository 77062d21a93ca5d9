"use client";

import { useQuery } from "@tanstack/react-query";
import { EmptyState, LoadError, Loading } from "~/components/query-state";
import { StatusBadge } from "~/components/status-badge";
import { formatCount, formatDateTime, formatGigabytes } from "~/lib/format";
import { useTRPC } from "~/trpc/react";

const HEADERS = [
  "Host",
  "Model",
  "Type",
  "Size",
  "Declared ctx",
  "Tested ctx",
  "Last good",
  "Last bad",
  "Status",
  "Last tested",
];

export function ModelsTable() {
  const trpc = useTRPC();
  const models = useQuery(trpc.model.list.queryOptions());

  if (models.isPending) return <Loading what="models" />;
  if (models.isError) return <LoadError what="models" error={models.error} />;
  if (models.data.length === 0) {
    return (
      <EmptyState title="No models yet">
        <p>
          LMStrix has not seen any models. Start LM Studio (or <code>pnpm demo</code> for the built-in
          emulator), then scan a host from the{" "}
          <a href="/hosts" className="underline">
            Hosts
          </a>{" "}
          page or run <code>pnpm lmstrix scan</code>.
        </p>
      </EmptyState>
    );
  }

  return (
    <div className="overflow-x-auto rounded border border-slate-200 bg-white">
      <table className="min-w-full text-sm">
        <caption className="sr-only">Models on every host with their measured context limits</caption>
        <thead className="bg-slate-100 text-left text-xs uppercase tracking-wide text-slate-600">
          <tr>
            {HEADERS.map((header) => (
              <th key={header} scope="col" className="px-3 py-2 font-semibold">
                {header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {models.data.map((model) => (
            <tr key={model.id} className={model.isPresent ? "" : "text-slate-400"}>
              <td className="px-3 py-2">{model.host.name}</td>
              <td className="px-3 py-2 font-mono text-xs" title={model.displayName}>
                {model.modelKey}
              </td>
              <td className="px-3 py-2">{model.type}</td>
              <td className="px-3 py-2 text-right tabular-nums">{formatGigabytes(model.sizeBytes)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{formatCount(model.declaredContext)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{formatCount(model.loadableLimit)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{formatCount(model.lastGoodContext)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{formatCount(model.lastBadContext)}</td>
              <td className="px-3 py-2">
                <StatusBadge status={model.testStatus} />
              </td>
              <td className="px-3 py-2 whitespace-nowrap">{formatDateTime(model.lastTestedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
