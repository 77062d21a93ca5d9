"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Button } from "~/components/button";
import { ConfirmDialog } from "~/components/confirm-dialog";
import { Card } from "~/components/page-header";
import { InlineError, LoadError, Loading } from "~/components/query-state";
import { CardTable, CELL, type Column, NUMBER_CELL, WIDE_ONLY } from "~/components/table";
import { formatDateTime, formatDuration, formatMegabytes } from "~/lib/format";
import { useTRPC } from "~/trpc/react";

// On a phone the name (which ends in the reason), its age and Restore.
const COLUMNS: Column[] = [
  { label: "Snapshot" },
  { label: "Reason", isWideOnly: true },
  { label: "Size", align: "right", isWideOnly: true },
  { label: "Taken" },
  { label: "Actions", isLabelHidden: true },
];

/** Snapshots in the data directory: take one now, or bring one back (in place; the dashboard keeps running). */
export function SnapshotsCard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const snapshots = useQuery(trpc.data.snapshots.queryOptions());
  // A restore is refused while a run is running (its worker would write into the restored data): say so
  // before, and look again every few seconds.
  const running = useQuery(
    trpc.run.list.queryOptions({ status: "running", take: 5 }, { refetchInterval: 3_000 }),
  );
  const runningIds = (running.data ?? []).map((run) => run.id);
  const [restoring, setRestoring] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries();
  const create = useMutation(
    trpc.data.createSnapshot.mutationOptions({
      onSuccess: (snapshot) => {
        setMessage(`Snapshot ${snapshot.name} taken.`);
        void refresh();
      },
    }),
  );
  const restore = useMutation(
    trpc.data.restoreSnapshot.mutationOptions({
      onSuccess: (result) => {
        setRestoring(null);
        setMessage(`Restored ${result.restored}. The state before it is kept as ${result.beforeRestore}.`);
        void refresh();
      },
    }),
  );

  return (
    <Card
      title="Snapshots"
      actions={
        // Not before the list has loaded: a read still in flight would answer without the new snapshot.
        <Button onClick={() => create.mutate()} disabled={create.isPending || snapshots.isPending}>
          {create.isPending ? "Taking snapshot…" : "Take snapshot"}
        </Button>
      }
    >
      <p className="mb-3 text-sm text-slate-600">
        A consistent copy of the database is taken before every run, import and restore; the newest are kept.
      </p>
      {message ? (
        <p
          role="status"
          className="mb-3 rounded border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900"
        >
          {message}
        </p>
      ) : null}
      <InlineError error={create.error} className="mb-3" />
      {runningIds.length > 0 ? (
        <p
          role="status"
          data-testid="restore-blocked"
          className="mb-3 rounded border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900"
        >
          Restore is disabled while{" "}
          {runningIds.map((id, index) => (
            <span key={id}>
              {index > 0 ? ", " : ""}
              <Link href={`/runs/${id}`} className="font-medium underline">
                run #{id}
              </Link>
            </span>
          ))}{" "}
          {runningIds.length === 1
            ? "is running: cancel it or wait for it"
            : "are running: cancel them or wait for them"}{" "}
          to end.
        </p>
      ) : null}
      {snapshots.isPending ? <Loading what="snapshots" /> : null}
      {snapshots.isError ? <LoadError what="snapshots" error={snapshots.error} /> : null}
      {snapshots.data && snapshots.data.length === 0 ? <p className="text-sm">No snapshots yet.</p> : null}
      {snapshots.data && snapshots.data.length > 0 ? (
        <CardTable caption="Snapshots of the database, newest first" columns={COLUMNS}>
          {snapshots.data.map((snapshot) => (
            <tr key={snapshot.name}>
              <td className={`${CELL} font-mono text-xs break-all`}>{snapshot.name}</td>
              <td className={`${CELL} ${WIDE_ONLY}`}>{snapshot.reason}</td>
              <td className={`${NUMBER_CELL} ${WIDE_ONLY}`}>
                {snapshot.missing ? "missing" : formatMegabytes(snapshot.sizeBytes)}
              </td>
              <td className={`${CELL} whitespace-nowrap`} title={formatDateTime(snapshot.createdAt)}>
                {formatDuration(snapshot.ageMs)} ago
              </td>
              <td className={`${CELL} text-right`}>
                <Button
                  size="sm"
                  disabled={snapshot.missing || runningIds.length > 0}
                  title={
                    runningIds.length > 0
                      ? "A run is running; restore when it has ended"
                      : snapshot.missing
                        ? "The snapshot's file is missing"
                        : undefined
                  }
                  onClick={() => setRestoring(snapshot.name)}
                >
                  Restore…
                </Button>
              </td>
            </tr>
          ))}
        </CardTable>
      ) : null}
      <ConfirmDialog
        open={restoring !== null}
        title="Restore this snapshot?"
        confirmLabel="Restore"
        isPending={restore.isPending}
        error={restore.error}
        onConfirm={() => restoring && restore.mutate({ name: restoring })}
        onClose={() => {
          setRestoring(null);
          restore.reset();
        }}
      >
        Every host, model, run and probe goes back to how it was in <strong>{restoring}</strong>. A snapshot
        of the current state is taken first, so this can be undone.
      </ConfirmDialog>
    </Card>
  );
}
