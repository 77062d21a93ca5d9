import type { RunEventRow, Store } from "@lmstrix/core";
import { describe, expect, it, vi } from "vitest";

vi.mock("server-only", () => ({}));

const { followRunEvents, followTypedRunEvents } = await import("./run-events");

/** Just what followRunEvents reads of a store, counting the reads. */
function fakeStore() {
  const events: RunEventRow[] = [];
  let status = "running";
  let finishedAt: Date | null = null;
  const reads = { events: 0, runs: 0 };
  const store = {
    async listEventsAfter(runId: number, afterId: number, limit: number) {
      reads.events++;
      return events.filter((event) => event.runId === runId && event.id > afterId).slice(0, limit);
    },
    async getRun(id: number) {
      reads.runs++;
      return { id, status, finishedAt } as unknown as Awaited<ReturnType<Store["getRun"]>>;
    },
  } as unknown as Store;
  const append = (type: RunEventRow["type"], runId = 1, payload: RunEventRow["payload"] = {}) =>
    events.push({ id: events.length + 1, runId, type, payload, createdAt: new Date() });
  return {
    store,
    reads,
    append,
    setStatus: (next: string, endedAt: Date | null = null) => {
      status = next;
      finishedAt = endedAt;
    },
  };
}

async function collect(iterator: AsyncGenerator<RunEventRow>, count: number): Promise<number[]> {
  const ids: number[] = [];
  for await (const event of iterator) {
    ids.push(event.id);
    if (ids.length === count) break;
  }
  return ids;
}

describe("followRunEvents", () => {
  it("catches up, then follows live events through one poller shared by every client", async () => {
    const { store, reads, append } = fakeStore();
    for (let i = 0; i < 120; i++) append("log");
    const clients = Array.from({ length: 10 }, (_, i) =>
      collect(followRunEvents(store, 1, i, undefined), 125 - i),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const readsAfterCatchUp = reads.events;
    for (let i = 0; i < 5; i++) append("log");
    const results = await Promise.all(clients);
    results.forEach((ids, i) => {
      expect(ids).toEqual(Array.from({ length: 125 - i }, (_, k) => i + k + 1));
    });
    // The live events came from the shared poller's reads, not ten clients' own.
    expect(reads.events - readsAfterCatchUp).toBeLessThanOrEqual(3);
  });

  it("hands a catching-up client its first events before reading the rest of the backlog, letting I/O run between", async () => {
    const { store, reads, append } = fakeStore();
    for (let i = 0; i < 1_200; i++) append("log");
    const ids: number[] = [];
    const readsWhenIoRan: number[] = [];
    for await (const event of followRunEvents(store, 1, 0, undefined)) {
      ids.push(event.id);
      // What the HTTP response needs to send what it has: a turn of the event loop (a macrotask).
      setImmediate(() => readsWhenIoRan.push(reads.events));
      if (ids.length === 1_200) break;
    }
    expect(ids).toEqual(Array.from({ length: 1_200 }, (_, k) => k + 1));
    // A small first page, then the rest in large ones (10 + 500 + 500 + 190)…
    expect(reads.events).toBe(4);
    // …and I/O got its turn after each page, before the next read (else every turn would come after read 4).
    expect([...new Set(readsWhenIoRan)].slice(0, 3)).toEqual([1, 2, 3]);
  });

  it("gives a client that joins between two polls the events written in between", async () => {
    const { store, append } = fakeStore();
    append("log");
    const first = collect(followRunEvents(store, 1, 0, undefined), 4);
    await new Promise((resolve) => setTimeout(resolve, 250));
    append("log");
    const second = collect(followRunEvents(store, 1, 0, undefined), 4);
    await new Promise((resolve) => setTimeout(resolve, 250));
    append("log");
    append("log");
    expect(await first).toEqual([1, 2, 3, 4]);
    expect(await second).toEqual([1, 2, 3, 4]);
  });

  it("ends after the run's closing event, and when the run is gone", async () => {
    const { store, append, setStatus } = fakeStore();
    append("run.started");
    const ids: number[] = [];
    const follow = (async () => {
      for await (const event of followRunEvents(store, 1, 0, undefined)) ids.push(event.id);
    })();
    await new Promise((resolve) => setTimeout(resolve, 250));
    setStatus("completed");
    append("run.finished");
    await follow;
    expect(ids).toEqual([1, 2]);

    const gone = { ...fakeStore() };
    (gone.store as { getRun: unknown }).getRun = async () => null;
    const none: number[] = [];
    for await (const event of followRunEvents(gone.store, 1, 0, undefined)) none.push(event.id);
    expect(none).toEqual([]);
  });

  it("a run that ended long ago without a closing event ends the stream at once, not after the grace", async () => {
    const { store, reads, append, setStatus } = fakeStore();
    append("run.started");
    setStatus("completed", new Date(Date.now() - 60_000));
    const ids: number[] = [];
    for await (const event of followRunEvents(store, 1, 0, undefined)) ids.push(event.id);
    expect(ids).toEqual([1]);
    // One poll of the status; waiting out the 5 s grace would have taken ~25 (one per 200 ms).
    expect(reads.runs).toBe(1);
  });

  it("a client that leaves and comes back between two polls does not start a second poller", async () => {
    const { store, reads, append } = fakeStore();
    append("log");
    const follow = async (signal: AbortSignal) => {
      for await (const _ of followRunEvents(store, 1, 0, signal)) {
      }
    };
    const first = new AbortController();
    const leaving = follow(first.signal);
    await new Promise((resolve) => setTimeout(resolve, 250));
    first.abort();
    await leaving;
    // A reconnect: the feed's poller is asleep with no one listening when the client joins again.
    const second = new AbortController();
    const back = follow(second.signal);
    const readsBefore = reads.events;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const polls = reads.events - readsBefore;
    second.abort();
    await back;
    // One poller reads about five times a second (plus the client's own catch-up); two would read ten.
    expect(polls).toBeLessThanOrEqual(7);
  });

  it("stops when its signal aborts", async () => {
    const { store, append } = fakeStore();
    append("log");
    const controller = new AbortController();
    const ids: number[] = [];
    const follow = (async () => {
      for await (const event of followRunEvents(store, 1, 0, controller.signal)) ids.push(event.id);
    })();
    await new Promise((resolve) => setTimeout(resolve, 250));
    controller.abort();
    await follow;
    expect(ids).toEqual([1]);
  });
});

describe("followTypedRunEvents", () => {
  it("sends a run's rows as typed events and passes over the ones that do not fit their kind", async () => {
    const { store, append, setStatus } = fakeStore();
    append("model.started", 1, { modelKey: "a", declared: 8_192 });
    // Odd rows (an older or a hand-edited database): a result without its status, a kind nobody writes.
    append("model.finished", 1, { modelKey: "a" });
    append("model.exploded", 1, { modelKey: "a" });
    append("run.finished", 1, { status: "completed", message: null });
    setStatus("completed");
    const events = [];
    for await (const event of followTypedRunEvents(store, 1, 0, undefined)) events.push(event);
    expect(events.map((event) => [event.id, event.type])).toEqual([
      [1, "model.started"],
      [4, "run.finished"],
    ]);
    const [started] = events;
    expect(started?.type === "model.started" && started.payload.declared).toBe(8_192);
  });
});
