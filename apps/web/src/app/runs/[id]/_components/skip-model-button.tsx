"use client";

import { useMutation } from "@tanstack/react-query";
import { Button } from "~/components/button";
import { InlineError } from "~/components/query-state";
import { useTRPC } from "~/trpc/react";

/**
 * Skip this model: the model in flight ends as skipped and the run goes on with the next one. No
 * confirmation (the model can simply be tested again); "Skipping…" until its end arrives in the events.
 */
export function SkipModelButton({
  runId,
  modelKey,
  isAsked,
}: {
  runId: number;
  modelKey: string;
  /** A skip of this model was asked (by anyone) and it has not finished yet. */
  isAsked: boolean;
}) {
  const trpc = useTRPC();
  const skip = useMutation(trpc.run.skipModel.mutationOptions());
  const isWaiting = isAsked || (skip.isPending && skip.variables?.modelKey === modelKey);
  return (
    <div className="flex flex-col items-start gap-1">
      <Button
        size="sm"
        disabled={isWaiting}
        onClick={() => skip.mutate({ id: runId, modelKey })}
        aria-label={`Skip ${modelKey}`}
      >
        {isWaiting ? "Skipping…" : "Skip this model"}
      </Button>
      {skip.variables?.modelKey === modelKey ? <InlineError error={skip.error} /> : null}
    </div>
  );
}
