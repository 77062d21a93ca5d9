import "server-only";
import type { RunEvent, Store } from "@lmstrix/core";

const POLL_MS = 200;
const PAGE = 500;
/** After a run's status says it ended, how long to wait for its closing event (written just after). */
const FINAL_EVENT_GRACE_MS = 5_000;

/**
 * A run's events from the database, oldest first, starting after `afterId`, then live as they are written —
 * by this server or any other process (the CLI) — until the run ends or `signal` aborts.
 */
export async function* followRunEvents(
  store: Store,
  runId: number,
  afterId: number,
  signal: AbortSignal | undefined,
): AsyncGenerator<RunEvent> {
  let cursor = afterId;
  let hasFinalEvent = false;
  let overSince: number | null = null;
  while (!signal?.aborted) {
    const events = await store.listEventsAfter(runId, cursor, PAGE);
    for (const event of events) {
      cursor = event.id;
      if (event.type === "run.finished") hasFinalEvent = true;
      yield event;
    }
    if (events.length === PAGE) continue;
    if (hasFinalEvent) return;
    const run = await store.getRun(runId);
    if (!run) return;
    const isOver = run.status === "completed" || run.status === "failed" || run.status === "cancelled";
    // The status is written before the closing events (a cancel, for one), so keep reading a little longer.
    if (isOver) {
      overSince ??= Date.now();
      if (Date.now() - overSince > FINAL_EVENT_GRACE_MS) return;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
