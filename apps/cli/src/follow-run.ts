import { setTimeout as sleep } from "node:timers/promises";
import {
  FINISHED_RUN_STATUSES,
  liveHostLease,
  parseRunEvent,
  type RunEvent,
  type RunEventRow,
  type RunRecord,
  type Store,
} from "@lmstrix/core";

const PAGE = 500;

/**
 * The typed events of stored rows. A row that does not fit its kind (written by an older version, or edited by
 * hand) is passed over: the CLI prints what it can read of a run rather than stopping at one odd row.
 */
function typed(rows: readonly RunEventRow[]): RunEvent[] {
  return rows.flatMap((row) => parseRunEvent(row) ?? []);
}

export interface FollowRunOptions {
  store: Store;
  runId: number;
  /** Events with an id up to this one were shown already (or are not wanted). */
  afterId: number;
  pollMs: number;
  leaseStaleMs: number;
  onEvent(event: RunEvent): void;
  /** Stops following (resolves with the run as it is) when the caller gives up, e.g. after an error. */
  signal?: AbortSignal;
}

/**
 * Follows a run through its events in the database, whichever process executes it — this one, another CLI or
 * the web server: the same path every viewer uses. Resolves with the run once it has ended: its
 * `run.finished` event was read, or it is over and no live process holds its host for it (a worker that died
 * after a cancel never writes that event).
 */
export async function followRun(options: FollowRunOptions): Promise<RunRecord> {
  const { store, runId } = options;
  let cursor = options.afterId;
  for (;;) {
    let sawFinish = false;
    let isPageFull = true;
    while (isPageFull) {
      const rows = await store.listEventsAfter(runId, cursor, PAGE);
      cursor = rows.at(-1)?.id ?? cursor;
      for (const event of typed(rows)) {
        options.onEvent(event);
        if (event.type === "run.finished") sawFinish = true;
      }
      isPageFull = rows.length === PAGE;
    }
    const run = await store.getRun(runId);
    if (!run) throw new Error(`Run #${runId} disappeared from the database`);
    if (sawFinish || options.signal?.aborted) return run;
    if (FINISHED_RUN_STATUSES.includes(run.status)) {
      const lease = await liveHostLease(store, run.hostId, options.leaseStaleMs);
      if (!lease || lease.runId !== runId) {
        // One more read: the worker may have written its last events between the two queries.
        const late = await store.listEventsAfter(runId, cursor, PAGE);
        for (const event of typed(late)) options.onEvent(event);
        return run;
      }
    }
    await sleep(options.pollMs);
  }
}

/** All events of a run, oldest first (for the final results of a run that several processes worked on). */
export async function allRunEvents(store: Store, runId: number): Promise<RunEvent[]> {
  return typed(await allRunEventRows(store, runId));
}

async function allRunEventRows(store: Store, runId: number): Promise<RunEventRow[]> {
  const rows: RunEventRow[] = [];
  for (;;) {
    const page = await store.listEventsAfter(runId, rows.at(-1)?.id ?? 0, PAGE);
    rows.push(...page);
    if (page.length < PAGE) return rows;
  }
}

/** Id of the newest event of a run (read or not), 0 when it has none. */
export async function lastEventId(store: Store, runId: number): Promise<number> {
  const rows = await allRunEventRows(store, runId);
  return rows.at(-1)?.id ?? 0;
}
