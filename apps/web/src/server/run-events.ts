import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import { isFinishedRunStatus, type RunEvent, type Store } from "@lmstrix/core";

const POLL_MS = 200;
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
  events: RunEvent[];
  /** The run no longer exists. */
  isGone: boolean;
  /** When the run ended (its `finishedAt`, else when the feed first saw its status say so). */
  overSince: number | null;
  error?: unknown;
}

type Listener = (tick: Tick) => void;

/**
 * One poller per run, shared by every client following it: each poll is one query for new events (and one for
 * the run's status), whatever the number of clients, instead of two per client every POLL_MS.
 */
class RunFeed {
  private readonly listeners = new Set<Listener>();
  private overSince: number | null = null;
  /** Whether `loop` is running: a client that rejoins while it sleeps must not start a second one. */
  private isPolling = false;

  constructor(
    private readonly store: Store,
    private readonly runId: number,
    private cursor: number,
    private readonly onIdle: () => void,
  ) {}

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    if (!this.isPolling) void this.loop();
    return () => {
      this.listeners.delete(listener);
    };
  }

  private async loop() {
    this.isPolling = true;
    let isFull = false;
    while (this.listeners.size > 0) {
      if (!isFull) await sleep(POLL_MS);
      if (this.listeners.size === 0) break;
      const from = this.cursor;
      let tick: Tick;
      try {
        const events = await this.store.listEventsAfter(this.runId, from, PAGE);
        const last = events.at(-1);
        if (last) this.cursor = last.id;
        isFull = events.length === PAGE;
        let isGone = false;
        if (!isFull) {
          const run = await this.store.getRun(this.runId);
          isGone = run === null;
          // Counted from when the run ended, not from when this feed noticed: a run that ended long ago
          // without a closing event (an old or imported one) ends the stream at once.
          if (run && isFinishedRunStatus(run.status))
            this.overSince ??= run.finishedAt?.getTime() ?? Date.now();
        }
        tick = { from, events, isGone, overSince: this.overSince };
      } catch (error) {
        isFull = false;
        tick = { from, events: [], isGone: false, overSince: this.overSince, error };
      }
      for (const listener of this.listeners) listener(tick);
    }
    this.isPolling = false;
    this.onIdle();
  }
}

const nextMacrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

const feeds = new WeakMap<Store, Map<number, RunFeed>>();

function joinFeed(store: Store, runId: number, cursor: number, listener: Listener): () => void {
  let byRun = feeds.get(store);
  if (!byRun) {
    byRun = new Map();
    feeds.set(store, byRun);
  }
  let feed = byRun.get(runId);
  if (!feed) {
    const created: RunFeed = new RunFeed(store, runId, cursor, () => {
      if (byRun.get(runId) === created) byRun.delete(runId);
    });
    feed = created;
    byRun.set(runId, feed);
  }
  return feed.subscribe(listener);
}

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
  /** Hands on the events not sent yet, keeping the cursor and whether the closing event went out. */
  function* take(events: readonly RunEvent[]): Generator<RunEvent> {
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
  const queue: Tick[] = [];
  let wake: (() => void) | null = null;
  const unsubscribe = joinFeed(store, runId, cursor, (tick) => {
    queue.push(tick);
    wake?.();
  });
  const onAbort = () => wake?.();
  signal?.addEventListener("abort", onAbort);
  try {
    while (!signal?.aborted) {
      const tick = queue.shift();
      if (!tick) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
        continue;
      }
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
  } finally {
    unsubscribe();
    signal?.removeEventListener("abort", onAbort);
  }
}
