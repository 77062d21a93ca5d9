import "server-only";
import {
  isFinishedRunStatus,
  parseRunEvent,
  type RunEvent,
  type RunEventRow,
  type Store,
} from "@lmstrix/core";
import { joinSharedPoll, type PollResult, queuedTicks, type SharedPoll } from "./shared-poll";

const PAGE = 500;
/**
 * The first read of a catching-up client is small, so its first events leave sooner: each event costs ~0.1 ms
 * on its way through tRPC's SSE streams, so 50 would hold the first one back ~5 ms.
 */
const FIRST_PAGE = 10;
/** After a run's status says it ended, how long to wait for its closing event (written just after). */
const FINAL_EVENT_GRACE_MS = 5_000;

/** One poll of a run's feed: the events after `from` (oldest first) and what the run's status said. */
interface Tick {
  from: number;
  events: RunEventRow[];
  /** The run no longer exists. */
  isGone: boolean;
  /** When the run ended (its `finishedAt`, else when the feed first saw its status say so). */
  overSince: number | null;
  error?: unknown;
}

/** The poll of one run's feed: new events, and the run's status once they are all read. */
function runFeedPoll(store: Store, runId: number, startCursor: number): () => Promise<PollResult<Tick>> {
  let cursor = startCursor;
  let overSince: number | null = null;
  return async () => {
    const from = cursor;
    try {
      const events = await store.listEventsAfter(runId, from, PAGE);
      const last = events.at(-1);
      if (last) cursor = last.id;
      const isFull = events.length === PAGE;
      let isGone = false;
      if (!isFull) {
        const run = await store.getRun(runId);
        isGone = run === null;
        const isOver = run !== null && isFinishedRunStatus(run.status);
        // Counted from when the run ended, not from when this feed noticed: a run that ended long ago
        // without a closing event (an old or imported one) ends the stream at once.
        if (isOver) overSince ??= run.finishedAt?.getTime() ?? Date.now();
      }
      return { tick: { from, events, isGone, overSince }, isFull };
    } catch (error) {
      return { tick: { from, events: [], isGone: false, overSince, error }, isFull: false };
    }
  };
}

const nextMacrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

/** One shared poll per run (and store: tests use several). */
const feeds = new WeakMap<Store, Map<number, SharedPoll<Tick>>>();

function feedsOf(store: Store): Map<number, SharedPoll<Tick>> {
  let byRun = feeds.get(store);
  if (!byRun) {
    byRun = new Map();
    feeds.set(store, byRun);
  }
  return byRun;
}

/**
 * A run's event rows from the database, oldest first, starting after `afterId`, then live as they are written
 * — by this server or any other process (the CLI) — until the run ends or `signal` aborts.
 */
export async function* followRunEvents(
  store: Store,
  runId: number,
  afterId: number,
  signal: AbortSignal | undefined,
): AsyncGenerator<RunEventRow> {
  let cursor = afterId;
  let hasFinalEvent = false;
  /** Hands on the events not sent yet, keeping the cursor and whether the closing event went out. */
  function* take(events: readonly RunEventRow[]): Generator<RunEventRow> {
    for (const event of events) {
      if (event.id <= cursor) continue;
      cursor = event.id;
      if (event.type === "run.finished") hasFinalEvent = true;
      yield event;
    }
  }

  // Catching up (a reconnecting client may be far behind) reads on its own.
  for (let limit = FIRST_PAGE; ; limit = PAGE) {
    if (signal?.aborted) return;
    const events = await store.listEventsAfter(runId, cursor, limit);
    yield* take(events);
    if (events.length < limit) break;
    // The database calls complete without leaving the microtask queue, and Node sends a response's writes
    // only once that queue drains: without this pause the first page waits for the next one to be read and
    // serialised (measured: the first event arrived in one 16 KB packet with 57 others, p95 20 → 12 ms).
    await nextMacrotask();
  }
  if (hasFinalEvent) return;

  // Live: the run's shared feed.
  const ticks = queuedTicks<Tick>(
    (listener) => joinSharedPoll(feedsOf(store), runId, runFeedPoll(store, runId, cursor), listener),
    signal,
  );
  for await (const tick of ticks) {
    if (tick.error !== undefined) throw tick.error;
    // Joined between two polls: what came before this tick's batch, read on our own.
    while (cursor < tick.from) {
      const page = await store.listEventsAfter(runId, cursor, PAGE);
      const missed = page.filter((event) => event.id <= tick.from);
      yield* take(missed);
      if (missed.length < PAGE) cursor = Math.max(cursor, tick.from);
    }
    yield* take(tick.events);
    if (hasFinalEvent || tick.isGone) return;
    // The status is written before the closing events (a cancel, for one), so keep reading a little longer.
    if (tick.overSince !== null && Date.now() - tick.overSince > FINAL_EVENT_GRACE_MS) return;
  }
}

/**
 * A run's feed as typed events, for the Run page. A row that does not fit its kind (an older database) is not
 * sent: the page shows what it can read of the run, and a reconnecting client resumes after the next event.
 */
export async function* followTypedRunEvents(
  store: Store,
  runId: number,
  afterId: number,
  signal: AbortSignal | undefined,
): AsyncGenerator<RunEvent> {
  for await (const row of followRunEvents(store, runId, afterId, signal)) {
    const event = parseRunEvent(row);
    if (event) yield event;
  }
}
