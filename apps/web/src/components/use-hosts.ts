"use client";

import { useQueries, useQuery } from "@tanstack/react-query";
import type { Reachability } from "~/lib/hosts";
import { useTRPC } from "~/trpc/react";

/**
 * Every host with whether its LM Studio answers. The status checks are the Hosts page's own (same queries,
 * shared cache); the server gives each up after a few seconds, so a host that is down shows as such quickly.
 * `refetchMs` re-reads the list (a host becoming busy with a run, or free again).
 */
export function useHosts({ refetchMs }: { refetchMs?: number } = {}) {
  const trpc = useTRPC();
  const list = useQuery(trpc.host.list.queryOptions(undefined, { refetchInterval: refetchMs }));
  const statuses = useQueries({
    queries: (list.data ?? []).map((host) =>
      trpc.host.status.queryOptions({ id: host.id }, { retry: false, staleTime: 15_000 }),
    ),
  });
  const hosts = (list.data ?? []).map((host, index) => {
    const status = statuses[index];
    const reachability: Reachability = status?.data
      ? status.data.reachable
        ? "up"
        : "down"
      : status?.isError
        ? "down"
        : "checking";
    return { ...host, reachability };
  });
  return { hosts, list };
}

export type HostWithReachability = ReturnType<typeof useHosts>["hosts"][number];
