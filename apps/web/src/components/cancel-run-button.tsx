"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import { Button, type ButtonSize } from "./button";
import { ConfirmDialog } from "./confirm-dialog";

/** Cancel with a confirmation: a night's batch is not something to lose to a stray click. */
export function CancelRunButton({
  runId,
  status,
  size = "md",
}: {
  runId: number;
  status: string;
  size?: ButtonSize;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [isOpen, setOpen] = useState(false);
  const cancel = useMutation(
    trpc.run.cancel.mutationOptions({
      onSuccess: () => setOpen(false),
      onSettled: () => {
        void queryClient.invalidateQueries(trpc.run.pathFilter());
        void queryClient.invalidateQueries(trpc.model.pathFilter());
      },
    }),
  );
  return (
    <>
      <Button
        variant="danger"
        size={size}
        onClick={() => {
          cancel.reset();
          setOpen(true);
        }}
        aria-label={`Cancel run #${runId}`}
      >
        Cancel
      </Button>
      <ConfirmDialog
        open={isOpen}
        title={`Cancel run #${runId}?`}
        confirmLabel="Cancel run"
        cancelLabel="Keep running"
        isPending={cancel.isPending}
        error={cancel.error}
        onConfirm={() => cancel.mutate({ id: runId })}
        onClose={() => setOpen(false)}
      >
        {status === "running"
          ? "The probe in flight is stopped and its model unloaded. Models that already finished keep their results."
          : "The run leaves the queue without testing anything."}
      </ConfirmDialog>
    </>
  );
}
