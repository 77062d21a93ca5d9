"use client";

import { useQuery } from "@tanstack/react-query";
import { describeError } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

/** Whether LM Studio answers. The server gives up after a few seconds, so this never spins for long. */
export function HostStatus({ hostId }: { hostId: number }) {
  const trpc = useTRPC();
  const status = useQuery(
    trpc.host.status.queryOptions({ id: hostId }, { retry: false, refetchInterval: 15_000, staleTime: 0 }),
  );

  if (status.isPending) {
    return (
      <p role="status" className="flex items-center gap-2 text-sm text-slate-600">
        <span aria-hidden="true" className="size-2.5 animate-pulse rounded-full bg-slate-400" />
        Checking connection…
      </p>
    );
  }
  if (status.isError) {
    return (
      <p role="status" data-testid="host-connection" className="text-sm text-red-800">
        <strong>Unknown</strong> — could not ask the server: {describeError(status.error)}
      </p>
    );
  }
  const result = status.data;
  if (!result.reachable) return <Connection isUp={false} title="Down" detail={result.error} />;
  const loaded = result.loaded
    .map((model) => `${model.identifier} (${model.contextLength.toLocaleString("en-US")} tokens)`)
    .join(", ");
  return (
    <Connection
      isUp
      title={`Reachable · LM Studio ${result.version}`}
      detail={loaded ? `Loaded now: ${loaded}` : "No model loaded now."}
    />
  );
}

function Connection({ isUp, title, detail }: { isUp: boolean; title: string; detail: string }) {
  return (
    <div
      role="status"
      data-testid="host-connection"
      className={`rounded-md border px-3 py-2 text-sm break-words ${isUp ? "border-emerald-200 bg-emerald-50 text-emerald-900" : "border-red-200 bg-red-50 text-red-800"}`}
    >
      <p className={`font-semibold ${isUp ? "text-emerald-800" : ""}`}>
        <span aria-hidden="true">{isUp ? "✓ " : "✗ "}</span>
        {title}
      </p>
      <p>{detail}</p>
    </div>
  );
}
