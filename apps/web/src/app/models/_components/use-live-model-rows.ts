"use client";

import { useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useEffect, useState } from "react";
import type { AppRouter } from "~/server/root";
import { useTRPC } from "~/trpc/react";
import { replaceRows } from "../_lib/model-rows";

/** If the stream has not said it follows after this long, the table is read anyway (and stays as read). */
const READ_ANYWAY_MS = 3_000;
const RETRY_MS = 2_000;

type ModelList = inferRouterOutputs<AppRouter>["model"]["list"];

/**
 * Keeps every cached `model.list` up to date while runs go — this server's, the CLI's, ones started after the
 * page opened — from the run events (`model.onChanges`, server-sent events), patching just the rows a run
 * changed instead of reading the whole table again.
 *
 * `canRead` says when the table may be read: once the stream follows the events (so no change falls between
 * the read and the stream), or when the stream does not come up at all.
 */
export function useLiveModelRows(): { canRead: boolean } {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [isFollowing, setFollowing] = useState(false);
  const [hasWaitedEnough, setWaitedEnough] = useState(false);
  const listFilter = trpc.model.list.pathFilter();
  const subscription = useSubscription(
    trpc.model.onChanges.subscriptionOptions(undefined, {
      onData: ({ data: change }) => {
        if (change.type === "following") {
          // The cached table may be older than the stream's start: read it again (once).
          setFollowing(true);
          void queryClient.invalidateQueries(listFilter);
          return;
        }
        // A read in flight may have started before this change: let a new one read it, rather than
        // patching rows the older answer would then overwrite.
        if (queryClient.isFetching(listFilter) > 0) void queryClient.invalidateQueries(listFilter);
        else
          queryClient.setQueriesData<ModelList>(listFilter, (rows) =>
            rows ? replaceRows(rows, change.rows) : rows,
          );
      },
    }),
  );

  useEffect(() => {
    const timer = setTimeout(() => setWaitedEnough(true), READ_ANYWAY_MS);
    return () => clearTimeout(timer);
  }, []);
  // A stream the server ended with an error starts again (fresh: it says "following" and the table is re-read).
  const hasFailed = subscription.status === "error";
  const { reset } = subscription;
  useEffect(() => {
    if (!hasFailed) return;
    const timer = setTimeout(reset, RETRY_MS);
    return () => clearTimeout(timer);
  }, [hasFailed, reset]);

  return { canRead: isFollowing || hasFailed || hasWaitedEnough };
}
