import "server-only";
import type { RunEvent, Store } from "@lmstrix/core";

const POLL_MS = 200;
const PAGE = 500;

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
  while (!signal?.aborted) {
    const events = await store.listEventsAfter(runId, cursor, PAGE);
    for (const event of events) {
      cursor = event.id;
      yield event;
    }
    if (events.length === PAGE) continue;
    const run = await store.getRun(runId);
    const isOver =
      !run || run.status === "completed" || run.status === "failed" || run.status === "cancelled";
    // The final event is written after the status; one more read after "over" catches it.
    if (isOver && events.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
