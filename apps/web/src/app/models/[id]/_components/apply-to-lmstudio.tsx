"use client";

import type { LimitKind } from "@lmstrix/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "~/components/button";
import { Dialog } from "~/components/dialog";
import { SelectField } from "~/components/field";
import { InlineError } from "~/components/query-state";
import { useTRPC } from "~/trpc/react";

const LIMIT_LABELS: Record<LimitKind, string> = {
  loadable: "Loadable limit (the largest context that loads)",
  effective: "Effective limit (recalls from a full window)",
  comfortable: "Comfortable limit (fast enough, default thresholds)",
};

const tokens = (value: number | null) =>
  value === null ? "not set" : `${value.toLocaleString("en-US")} tokens`;

/**
 * "Apply to LM Studio": the model's measured limit saved as LM Studio's default context length for it, so LM
 * Studio and the tools that load it without one use it. The dialog shows the change before anything is written;
 * after applying, Undo puts the file back as it was.
 */
export function ApplyToLmStudio({ modelId }: { modelId: number }) {
  const [isOpen, setOpen] = useState(false);
  return (
    <>
      <Button onClick={() => setOpen(true)}>Apply to LM Studio</Button>
      <Dialog
        open={isOpen}
        onClose={() => setOpen(false)}
        title="Apply to LM Studio"
        description="Saves a measured limit as LM Studio's default context length for this model; every other setting is kept."
        wide
      >
        <ApplyBody modelId={modelId} onClose={() => setOpen(false)} />
      </Dialog>
    </>
  );
}

/** Mounted anew on every opening, so it starts from a fresh preview. */
function ApplyBody({ modelId, onClose }: { modelId: number; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [limit, setLimit] = useState<LimitKind>("loadable");
  const preview = useQuery(trpc.model.applyPreview.queryOptions({ modelId, limit }));
  const refresh = () => void queryClient.invalidateQueries(trpc.model.applyPreview.pathFilter());
  const apply = useMutation(trpc.model.applyLimit.mutationOptions({ onSettled: refresh }));
  const undo = useMutation(trpc.model.undoApply.mutationOptions({ onSettled: refresh }));
  const plan = preview.data;

  if (apply.data) {
    return (
      <div className="flex flex-col gap-3 text-sm">
        <p role="status">
          Applied: <span className="font-mono">{apply.data.change.key}</span> is now{" "}
          {tokens(apply.data.change.after)} in{" "}
          <span className="font-mono break-all">{apply.data.change.file}</span>.
        </p>
        <p className="text-slate-600">
          The old file is kept at <span className="font-mono break-all">{apply.data.change.backup}</span>.
        </p>
        {undo.data ? (
          <p role="status">
            Undone: the file is{" "}
            {undo.data.outcome === "restored" ? "back as it was" : "removed again (there was none)"}.
          </p>
        ) : null}
        <InlineError error={undo.error} />
        <div className="flex justify-end gap-2">
          {undo.data ? null : (
            <Button onClick={() => undo.mutate({ modelId })} disabled={undo.isPending}>
              {undo.isPending ? "Undoing…" : "Undo"}
            </Button>
          )}
          <Button variant="primary" onClick={onClose}>
            Done
          </Button>
        </div>
      </div>
    );
  }

  return (
    <div className="flex flex-col gap-4 text-sm">
      <SelectField
        label="Limit"
        value={limit}
        onChange={(event) => setLimit(event.target.value as LimitKind)}
      >
        {(Object.keys(LIMIT_LABELS) as LimitKind[]).map((kind) => (
          <option key={kind} value={kind}>
            {LIMIT_LABELS[kind]}
          </option>
        ))}
      </SelectField>
      <InlineError error={preview.error} />
      {plan === undefined ? (
        preview.isPending ? (
          <p className="text-slate-600">Reading LM Studio's settings…</p>
        ) : null
      ) : plan.state === "elsewhere" ? (
        <p role="note">
          {plan.host}'s LM Studio home is not on the dashboard's machine (set it on the Hosts page if it is).
          Run this on the machine LM Studio runs on:{" "}
          <code className="font-mono break-all">{plan.command}</code>
        </p>
      ) : plan.state === "unmeasured" ? (
        <p role="note">
          {plan.noneFoundReason
            ? `This model has no ${limit} limit (its effective search found none: ${plan.noneFoundReason}): choose another limit.`
            : `No ${limit} limit is measured for this model yet: test it first, or choose another limit.`}
        </p>
      ) : (
        <div className="rounded border border-slate-200 bg-slate-50 p-3" data-testid="apply-change">
          <p>
            <span className="font-mono">{plan.change.key}</span>: {tokens(plan.change.before)} →{" "}
            <strong>{tokens(plan.change.after)}</strong>
          </p>
          <p className="mt-1 text-slate-600">
            in <span className="font-mono break-all">{plan.change.file}</span>
            {plan.change.createsFile ? " (a new file)" : ""}
          </p>
        </div>
      )}
      <InlineError error={apply.error} />
      <div className="flex justify-end gap-2">
        <Button data-autofocus onClick={onClose}>
          Cancel
        </Button>
        <Button
          variant="primary"
          disabled={plan?.state !== "ready" || apply.isPending}
          onClick={() => apply.mutate({ modelId, limit })}
        >
          {apply.isPending ? "Applying…" : "Apply"}
        </Button>
      </div>
    </div>
  );
}
