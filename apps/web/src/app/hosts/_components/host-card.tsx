"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Button } from "~/components/button";
import { ConfirmDialog } from "~/components/confirm-dialog";
import { InlineError } from "~/components/query-state";
import { formatCount } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { describeScan } from "../_lib/host-form";
import { HostFormDialog } from "./host-form-dialog";
import { HostSchedules } from "./host-schedules";
import { HostStatus } from "./host-status";
import { HostWebhook } from "./host-webhook";

interface HostRow {
  id: number;
  name: string;
  url: string;
  enabled: boolean;
  modelCount: number;
  lease: { holder: string; runId: number | null } | null;
}

export function HostCard({ host }: { host: HostRow }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [isEditing, setEditing] = useState(false);
  const [isRemoving, setRemoving] = useState(false);
  const refresh = () => {
    void queryClient.invalidateQueries(trpc.host.pathFilter());
    void queryClient.invalidateQueries(trpc.model.pathFilter());
  };
  const scan = useMutation(trpc.host.scan.mutationOptions({ onSettled: refresh }));
  const toggle = useMutation(trpc.host.update.mutationOptions({ onSettled: refresh }));
  const remove = useMutation(
    trpc.host.delete.mutationOptions({ onSuccess: () => setRemoving(false), onSettled: refresh }),
  );

  return (
    <article
      aria-labelledby={`host-${host.id}-name`}
      data-testid="host-card"
      className={`flex h-full flex-col gap-3 rounded-lg border bg-white p-4 shadow-sm ${host.enabled ? "border-slate-200" : "border-dashed border-slate-300"}`}
    >
      <header className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h2 id={`host-${host.id}-name`} className="text-lg font-semibold">
            {host.name}
          </h2>
          <p className="font-mono text-sm break-all text-slate-600">{host.url}</p>
        </div>
        <div className="flex flex-wrap gap-1.5 text-xs font-medium">
          {host.enabled ? null : (
            <span className="rounded bg-slate-200 px-2 py-0.5 text-slate-700">Disabled</span>
          )}
          {host.lease?.runId ? (
            <Link
              href={`/runs/${host.lease.runId}`}
              className="rounded bg-sky-100 px-2 py-0.5 text-sky-800 hover:underline"
            >
              Busy with run #{host.lease.runId}
            </Link>
          ) : null}
        </div>
      </header>

      <HostStatus hostId={host.id} />
      {host.enabled ? null : (
        <p className="text-sm text-slate-600">Disabled: its queued runs wait until it is enabled again.</p>
      )}

      <p className="text-sm">
        <Link href="/models" className="font-medium text-sky-800 hover:underline">
          {formatCount(host.modelCount)} {host.modelCount === 1 ? "model" : "models"}
        </Link>{" "}
        <span className="text-slate-600">known on this host</span>
      </p>

      <HostSchedules hostId={host.id} hostName={host.name} />
      <HostWebhook hostId={host.id} hostName={host.name} />

      <div aria-live="polite">
        {scan.isSuccess ? (
          <p
            className="rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-sm text-sky-900"
            data-testid="scan-result"
          >
            Scan: {describeScan(scan.data)}
          </p>
        ) : null}
        <InlineError error={scan.error} />
        <InlineError error={toggle.error} />
      </div>

      <div className="mt-auto flex flex-wrap gap-2 border-t border-slate-100 pt-3">
        <Button
          variant="primary"
          size="sm"
          onClick={() => scan.mutate({ id: host.id })}
          disabled={scan.isPending}
          aria-label={`Scan ${host.name}`}
        >
          {scan.isPending ? "Scanning…" : "Scan"}
        </Button>
        <Button size="sm" onClick={() => setEditing(true)} aria-label={`Edit ${host.name}`}>
          Edit
        </Button>
        <Button
          size="sm"
          onClick={() => toggle.mutate({ id: host.id, enabled: !host.enabled })}
          disabled={toggle.isPending}
          aria-label={`${host.enabled ? "Disable" : "Enable"} ${host.name}`}
        >
          {host.enabled ? "Disable" : "Enable"}
        </Button>
        <Button
          size="sm"
          variant="ghost"
          className="ml-auto text-red-700 hover:bg-red-50"
          onClick={() => {
            remove.reset();
            setRemoving(true);
          }}
          aria-label={`Remove ${host.name}`}
        >
          Remove
        </Button>
      </div>

      <HostFormDialog open={isEditing} onClose={() => setEditing(false)} host={host} />
      <ConfirmDialog
        open={isRemoving}
        title={`Remove host ${host.name}?`}
        confirmLabel="Remove host"
        isPending={remove.isPending}
        error={remove.error}
        onConfirm={() => remove.mutate({ id: host.id })}
        onClose={() => setRemoving(false)}
      >
        Its {formatCount(host.modelCount)} models and all their runs and probes are deleted from LMStrix. The
        models stay on the host.
      </ConfirmDialog>
    </article>
  );
}
