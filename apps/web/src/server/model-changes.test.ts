import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runOptionsSchema } from "@lmstrix/core";
import { type Database, openDatabase, PrismaStore } from "@lmstrix/db";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("server-only", () => ({}));

const { followModelChanges } = await import("./model-changes");

type Message = {
  eventId: number;
  change: { type: string; rows?: { modelKey: string; testStatus: string }[] };
};

let dir: string;
let db: Database;
let store: PrismaStore;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "lmstrix-web-model-changes-"));
  db = await openDatabase({ dataDir: dir });
  store = new PrismaStore(db.prisma);
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function hostWithModels(name: string, keys: string[]) {
  const host = await store.ensureHost(name, "ws://127.0.0.1:1");
  await store.syncModels(
    host.id,
    keys.map((modelKey) => ({
      modelKey,
      displayName: modelKey,
      type: "llm" as const,
      format: "gguf",
      publisher: null,
      path: `${modelKey}.gguf`,
      sizeBytes: 1_000,
      architecture: null,
      quantization: null,
      params: null,
      declaredContext: 32_768,
      vision: false,
      toolUse: false,
    })),
    new Date(),
  );
  return host;
}

async function startRun(hostId: number) {
  return store.createRun({
    hostId,
    mode: "single",
    options: runOptionsSchema.parse({ modelKeys: ["a"] }),
    startedBy: "cli",
  });
}

/** The next `count` messages; the stream stays open. */
async function take(stream: AsyncGenerator<Message>, count: number): Promise<Message[]> {
  const messages: Message[] = [];
  while (messages.length < count) {
    const next = await stream.next();
    if (next.done) break;
    messages.push(next.value);
  }
  return messages;
}

const summary = (message: Message | undefined) =>
  message?.change.rows?.map((row) => `${row.modelKey}:${row.testStatus}`);

describe("followModelChanges", () => {
  it("says it follows from the newest event, then sends the rows a run changes as they read now", async () => {
    const host = await hostWithModels("box", ["a", "b"]);
    const earlier = await startRun(host.id);
    await store.appendEvent(earlier.id, "log", { message: "before the page opened" });
    const stream = followModelChanges(db, null, undefined) as AsyncGenerator<Message>;
    const first = await stream.next();
    expect(first.value).toEqual({ eventId: expect.any(Number), change: { type: "following" } });

    // A run started after the stream (by any process: the rows are read from the database).
    const run = await startRun(host.id);
    const model = await store.getModel(host.id, "a");
    if (!model) throw new Error("model a missing");
    await store.startProbe({ runId: run.id, modelId: model.id, contextRequested: 4_096, kind: "loadable" });
    const started = await store.appendEvent(run.id, "probe.started", {
      probeId: 1,
      modelKey: "a",
      context: 4_096,
      stallMs: 0,
    });
    // Load progress says nothing new about the row: no message for it.
    await store.appendEvent(run.id, "probe.loadProgress", { probeId: 1, modelKey: "a", progress: 0.5 });
    const [testing] = await take(stream, 1);
    expect(summary(testing)).toEqual(["a:testing"]);
    expect(testing?.eventId).toBeGreaterThanOrEqual(started.id);

    await store.updateModelSummary(model.id, { testStatus: "completed", loadableLimit: 4_096 });
    const finished = await store.appendEvent(run.id, "model.finished", {
      modelKey: "a",
      status: "completed",
      limit: 4_096,
      declared: 8_192,
      reason: null,
      errorCategory: null,
    });
    const [done] = await take(stream, 1);
    expect(summary(done)).toEqual(["a:completed"]);
    expect(done?.change.rows?.[0]).toMatchObject({
      loadableLimit: 4_096,
      host: { id: host.id, name: "box" },
    });
    expect(done?.eventId).toBe(finished.id);
    await stream.return(undefined);
  });

  it("a client reconnecting with its last event id gets the rows changed since, the run's end included", async () => {
    const host = await hostWithModels("box", ["a", "b", "c"]);
    const run = await startRun(host.id);
    const [a, b] = [await store.getModel(host.id, "a"), await store.getModel(host.id, "b")];
    if (!a || !b) throw new Error("models missing");
    const seen = await store.appendEvent(run.id, "run.started", { holder: "web" });
    // Missed while away: a probe of "b", then the run's end, which settles every model it probed.
    await store.startProbe({ runId: run.id, modelId: a.id, contextRequested: 2_048, kind: "loadable" });
    await store.startProbe({ runId: run.id, modelId: b.id, contextRequested: 2_048, kind: "loadable" });
    await store.appendEvent(run.id, "probe.started", {
      probeId: 2,
      modelKey: "b",
      context: 2_048,
      stallMs: 0,
    });
    await store.updateModelSummary(a.id, { testStatus: "untested" });
    await store.updateModelSummary(b.id, { testStatus: "untested" });
    const end = await store.appendEvent(run.id, "run.finished", { status: "cancelled", message: null });

    const stream = followModelChanges(db, seen.id, undefined) as AsyncGenerator<Message>;
    const [caughtUp] = await take(stream, 1);
    // No "following" first: the client already has its table.
    expect(caughtUp?.change.type).toBe("changed");
    expect(summary(caughtUp)).toEqual(["a:untested", "b:untested"]);
    expect(caughtUp?.eventId).toBe(end.id);
    await stream.return(undefined);
  });

  it("passes over event rows that do not fit their kind and goes on with the next ones", async () => {
    const host = await hostWithModels("box", ["a", "b"]);
    const run = await startRun(host.id);
    const stream = followModelChanges(db, null, undefined) as AsyncGenerator<Message>;
    expect((await stream.next()).value?.change.type).toBe("following");
    // Rows an older or hand-edited database may hold: broken JSON, a model event whose model is no text.
    await db.prisma.runEvent.create({
      data: { runId: run.id, type: "model.started", payloadJson: "{not json" },
    });
    await db.prisma.runEvent.create({
      data: { runId: run.id, type: "probe.started", payloadJson: JSON.stringify({ modelKey: 7 }) },
    });
    const good = await store.appendEvent(run.id, "model.started", { modelKey: "b", declared: 32_768 });
    const [changed] = await take(stream, 1);
    expect(summary(changed)).toEqual(["b:untested"]);
    expect(changed?.eventId).toBe(good.id);
    await stream.return(undefined);
  });

  it("every client is served by one shared poll, each from where it joined", async () => {
    const host = await hostWithModels("box", ["a"]);
    const run = await startRun(host.id);
    const streams = Array.from(
      { length: 5 },
      () => followModelChanges(db, null, undefined) as AsyncGenerator<Message>,
    );
    for (const stream of streams) expect((await stream.next()).value?.change.type).toBe("following");
    const readings = Promise.all(streams.map((stream) => take(stream, 1)));
    const reads = vi.spyOn(db.prisma.runEvent, "findMany");
    await new Promise((resolve) => setTimeout(resolve, 300));
    await store.appendEvent(run.id, "model.started", { modelKey: "a", declared: 8_192 });
    const results = await readings;
    for (const [message] of results) expect(summary(message)).toEqual(["a:untested"]);
    // Five clients for ~half a second: a poll every 200 ms, not one per client (which would be 10+).
    expect(reads.mock.calls.length).toBeGreaterThan(0);
    expect(reads.mock.calls.length).toBeLessThanOrEqual(5);
    for (const stream of streams) await stream.return(undefined);
  });

  it("after a restore took the event ids back, it says so (the table is read anew) and follows the new events", async () => {
    const host = await hostWithModels("box", ["a"]);
    const run = await startRun(host.id);
    for (let i = 0; i < 5; i++) await store.appendEvent(run.id, "log", { message: `event ${i}` });
    const stream = followModelChanges(db, null, undefined) as AsyncGenerator<Message>;
    const [following] = await take(stream, 1);
    const before = following?.eventId ?? 0;
    const next = stream.next();

    // What a restored snapshot leaves: an older event table, whose next ids are the old ones again.
    await db.prisma.runEvent.deleteMany({ where: { id: { gt: 2 } } });
    await db.prisma.$executeRawUnsafe(`UPDATE sqlite_sequence SET seq = 2 WHERE name = 'RunEvent'`);
    const again = await next;
    expect(again.value).toEqual({ eventId: 2, change: { type: "following" } });
    expect(again.value?.eventId).toBeLessThan(before);

    await store.appendEvent(run.id, "model.started", { modelKey: "a", declared: 8_192 });
    const [changed] = await take(stream, 1);
    expect(summary(changed)).toEqual(["a:untested"]);
    expect(changed?.eventId).toBe(3);
    await stream.return(undefined);

    // A client coming back with an id from before the restore starts afresh too.
    const back = followModelChanges(db, before, undefined) as AsyncGenerator<Message>;
    expect((await back.next()).value).toEqual({ eventId: 3, change: { type: "following" } });
    await back.return(undefined);
  });
});
