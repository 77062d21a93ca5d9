"use client";

import { useQuery } from "@tanstack/react-query";
import { EmptyState, LoadError, Loading } from "~/components/query-state";
import { formatCount } from "~/lib/format";
import { useTRPC } from "~/trpc/react";

export function HostsTable() {
  const trpc = useTRPC();
  const hosts = useQuery(trpc.host.list.queryOptions());

  if (hosts.isPending) return <Loading what="hosts" />;
  if (hosts.isError) return <LoadError what="hosts" error={hosts.error} />;
  if (hosts.data.length === 0) {
    return (
      <EmptyState title="No hosts yet">
        <p>
          A host is one LM Studio server. The default one (<code>LMSTUDIO_URL</code>, ws://127.0.0.1:1234) is
          added when LMStrix first talks to it; add more with <code>pnpm lmstrix host add NAME URL</code>.
        </p>
      </EmptyState>
    );
  }
  return (
    <ul className="grid gap-3 sm:grid-cols-2">
      {hosts.data.map((host) => (
        <li key={host.id} className="rounded border border-slate-200 bg-white p-4">
          <h2 className="font-semibold">{host.name}</h2>
          <p className="font-mono text-sm text-slate-600">{host.url}</p>
          <p className="text-sm">
            {formatCount(host._count.models)} models{host.enabled ? "" : " · disabled"}
          </p>
        </li>
      ))}
    </ul>
  );
}
