import "server-only";
import { setTimeout as sleep } from "node:timers/promises";

export const POLL_MS = 200;

/** What one poll read: the tick handed to every listener, and whether more is waiting (poll again at once). */
export interface PollResult<Tick> {
  tick: Tick;
  isFull: boolean;
}

type Listener<Tick> = (tick: Tick) => void;

/**
 * One polling loop shared by every client following the same thing: each poll is one read, whatever the
 * number of clients, instead of one per client every POLL_MS. The loop runs while someone listens.
 */
export class SharedPoll<Tick> {
  private readonly listeners = new Set<Listener<Tick>>();
  /** Whether `loop` is running: a client that rejoins while it sleeps must not start a second one. */
  private isPolling = false;

  constructor(
    private readonly poll: () => Promise<PollResult<Tick>>,
    private readonly onIdle: () => void,
  ) {}

  subscribe(listener: Listener<Tick>): () => void {
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
      const result = await this.poll();
      isFull = result.isFull;
      for (const listener of this.listeners) listener(result.tick);
    }
    this.isPolling = false;
    this.onIdle();
  }
}

/** The shared poll of `key` in `registry`, created on first use and dropped when its last listener left. */
export function joinSharedPoll<Key, Tick>(
  registry: Map<Key, SharedPoll<Tick>>,
  key: Key,
  poll: () => Promise<PollResult<Tick>>,
  listener: Listener<Tick>,
): () => void {
  let shared = registry.get(key);
  if (!shared) {
    const created: SharedPoll<Tick> = new SharedPoll(poll, () => {
      if (registry.get(key) === created) registry.delete(key);
    });
    shared = created;
    registry.set(key, shared);
  }
  return shared.subscribe(listener);
}

/**
 * A listener's ticks as an async iterator, queued so that none is lost while the consumer works on the last
 * one; ends when `signal` aborts (or the consumer returns), leaving the shared poll either way.
 */
export async function* queuedTicks<Tick>(
  join: (listener: Listener<Tick>) => () => void,
  signal: AbortSignal | undefined,
): AsyncGenerator<Tick> {
  const queue: Tick[] = [];
  let wake: (() => void) | null = null;
  const leave = join((tick) => {
    queue.push(tick);
    wake?.();
  });
  const onAbort = () => wake?.();
  signal?.addEventListener("abort", onAbort);
  try {
    while (!signal?.aborted) {
      const tick = queue.shift();
      if (tick === undefined) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
        continue;
      }
      yield tick;
    }
  } finally {
    leave();
    signal?.removeEventListener("abort", onAbort);
  }
}
