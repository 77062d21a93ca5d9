import { setTimeout as sleep } from "node:timers/promises";
import {
  FINISHED_RUN_STATUSES,
  type Host,
  type HostWorker,
  type RunMode,
  type RunOptions,
  type RunRecord,
  type Store,
  sameRunOptions,
} from "@lmstrix/core";
import { recoverStoppedRuns } from "@lmstrix/db";

/**
 * An interrupted (or still queued) run of this host asking for exactly the same thing: the same command
 * typed again continues it instead of starting over. Oldest first, as the queue runs them.
 */
export async function findResumableRun(
  store: Store,
  hostId: number,
  mode: RunMode,
  options: RunOptions,
): Promise<RunRecord | undefined> {
  const candidates = await store.listRuns({ hostId, statuses: ["interrupted", "queued"] });
  return candidates.find((run) => run.mode === mode && sameRunOptions(run.options, options));
}

export async function hasRunEnded(store: Store, runId: number): Promise<boolean> {
  const run = await store.getRun(runId);
  return !run || FINISHED_RUN_STATUSES.includes(run.status);
}

export interface DriveHostOptions {
  store: Store;
  worker: HostWorker;
  host: Host;
  runId: number;
  leaseStaleMs: number;
  retryMs: number;
  /** Another live process holds the host; called again only when the holder or its run changes. */
  onWaiting(holder: string, runningRunId: number | null): void;
}

/**
 * Works the host's queue up to and including `runId`: runs it (and any run queued before it) while holding
 * the host's lease, or, when another live process holds the host, asks again every `retryMs` until the lease
 * is free, its holder is found dead, or `runId` ended elsewhere (cancelled, or executed by another worker).
 */
export async function driveHostUntilRunEnds(options: DriveHostOptions): Promise<void> {
  const { store, worker, host, runId } = options;
  let lastWaiting: string | null = null;
  for (;;) {
    if (await hasRunEnded(store, runId)) return;
    // A run whose process died is marked interrupted (and resumed below, by the queue's FIFO order).
    await recoverStoppedRuns(store, options.leaseStaleMs);
    const result = await worker.drain(host, undefined, { untilRunId: runId });
    if (await hasRunEnded(store, runId)) return;
    if (result.state === "busy") {
      const key = `${result.holder}#${result.runId}`;
      if (key !== lastWaiting) options.onWaiting(result.holder, result.runId);
      lastWaiting = key;
    }
    await sleep(options.retryMs);
  }
}
