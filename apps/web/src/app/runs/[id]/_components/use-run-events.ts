"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useEffect, useReducer, useState } from "react";
import { isRunOver } from "~/lib/status";
import { useTRPC } from "~/trpc/react";
import { applyRunEvent, INITIAL_RUN_PROGRESS } from "../_lib/run-progress";

const MAX_CATCH_UPS = 5;

/**
 * A run's progress, rebuilt from all its events on every page load and kept live over SSE. The subscription
 * link resumes from the last event id after a dropped connection, so nothing is missed or counted twice.
 */
export function useRunEvents(runId: number, hasRunEnded: boolean) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [progress, dispatch] = useReducer(applyRunEvent, INITIAL_RUN_PROGRESS);
  const [catchUp, setCatchUp] = useState({ from: 0, attempt: 0 });
  const subscription = useSubscription(
    trpc.run.onEvents.subscriptionOptions(
      catchUp.attempt === 0 ? { runId } : { runId, lastEventId: catchUp.from },
      {
        onData: (tracked) => {
          const event = tracked.data;
          dispatch(event);
          if (event.type === "run.finished" || event.type === "model.finished") {
            // The run's row (finish time, message) and the models' summaries changed.
            void queryClient.invalidateQueries(trpc.run.get.queryFilter({ id: runId }));
            void queryClient.invalidateQueries(trpc.model.pathFilter());
          }
        },
      },
    ),
  );

  // A run cancelled mid-probe is marked over before its worker writes the last events, and the stream may
  // close in between; ask again from the last event seen until the final one has arrived.
  const hasFinalEvent = isRunOver(progress.status);
  const isStreamClosed = subscription.status === "idle";
  useEffect(() => {
    if (!hasRunEnded || hasFinalEvent || !isStreamClosed || catchUp.attempt >= MAX_CATCH_UPS) return;
    const timer = setTimeout(
      () => setCatchUp((current) => ({ from: progress.lastEventId, attempt: current.attempt + 1 })),
      1_000,
    );
    return () => clearTimeout(timer);
  }, [hasRunEnded, hasFinalEvent, isStreamClosed, catchUp.attempt, progress.lastEventId]);

  return { progress, connection: subscription.status };
}
