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
  if (!result.reachable) {
    return (
      <div
        role="status"
        data-testid="host-connection"
        className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm"
      >
        <p className="font-semibold text-red-800">
          <span aria-hidden="true">✗ </span>Down
        </p>
        <p className="break-words text-red-800">{result.error}</p>
      </div>
    );
  }
  return (
    <div
      role="status"
      data-testid="host-connection"
      className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm"
    >
      <p className="font-semibold text-emerald-800">
        <span aria-hidden="true">✓ </span>Reachable · LM Studio {result.version}
      </p>
      <p className="text-emerald-900">
        {result.loaded.length === 0
          ? "No model loaded now."
          : `Loaded now: ${result.loaded.map((model) => `${model.identifier} (${model.contextLength.toLocaleString("en-US")} tokens)`).join(", ")}`}
      </p>
    </div>
  );
}
