"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import type { RunOptionsChoice } from "~/lib/run-options";
import { useTRPC, useTRPCClient } from "~/trpc/react";

/** One run to queue: some models of a host, or all its untested LLMs. */
export interface RunRequest {
  hostId: number;
  modelKeys?: string[];
  all?: boolean;
}

/**
 * Queues one run per request (a host runs one at a time, so models of several hosts make several runs), then
 * opens the run page — or the runs list when there are several to follow.
 */
export function useStartRuns() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const router = useRouter();
  return useMutation({
    mutationFn: async ({ requests, options }: { requests: RunRequest[]; options: RunOptionsChoice }) => {
      const ids: number[] = [];
      for (const request of requests) {
        const { id } = await client.run.start.mutate({
          hostId: request.hostId,
          modelKeys: request.modelKeys ?? [],
          all: request.all ?? false,
          options,
        });
        ids.push(id);
      }
      return ids;
    },
    onSettled: () => {
      void queryClient.invalidateQueries(trpc.run.list.pathFilter());
      void queryClient.invalidateQueries(trpc.model.list.pathFilter());
    },
    onSuccess: (ids) => {
      router.push(ids.length === 1 ? `/runs/${ids[0]}` : "/runs");
    },
  });
}
