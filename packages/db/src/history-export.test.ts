import { afterEach, expect, it } from "vitest";
import { openTempDatabase } from "../test/support/temp-database";
import type { HistoryExport } from "./history-export";
import { PrismaStore } from "./prisma-store";
import { exportRegistry, exportStream } from "./registry-export";

type TempDatabase = Awaited<ReturnType<typeof openTempDatabase>>;
const open: TempDatabase[] = [];

function addModel(db: TempDatabase, hostId: number) {
  return db.prisma.model.create({
    data: {
      hostId,
      modelKey: "m",
      displayName: "M",
      type: "llm",
      path: "m.gguf",
      sizeBytes: 1n,
      declaredContext: 4096,
    },
  });
}
afterEach(async () => {
  for (const db of open.splice(0)) await db.dispose();
});

it("exports a history longer than one page and than SQLite's parameter limit, a page at a time", async () => {
  const db = await openTempDatabase();
  open.push(db);
  const store = new PrismaStore(db.prisma);
  const host = await store.ensureHost("lab", "ws://127.0.0.1:1234");
  const other = await store.ensureHost("other", "ws://127.0.0.1:2345");
  const model = await addModel(db, host.id);
  // 3,000 runs: a filter by run id (`IN (…)`) would need more parameters than SQLite allows.
  const runCount = 3_000;
  await db.prisma.run.createMany({
    data: Array.from({ length: runCount }, () => ({ hostId: host.id, status: "completed", mode: "single" })),
  });
  await db.prisma.run.create({ data: { hostId: other.id, status: "completed", mode: "single" } });
  const runs = await db.prisma.run.findMany({ where: { hostId: host.id }, select: { id: true } });
  await db.prisma.probe.createMany({
    data: runs.map((run, index) => ({ runId: run.id, modelId: model.id, contextRequested: 1024 + index })),
  });
  await db.prisma.runEvent.createMany({
    data: runs.flatMap((run) => [
      { runId: run.id, type: "run.started", payloadJson: '{"holder":"x"}' },
      { runId: run.id, type: "run.finished", payloadJson: "not json" },
    ]),
  });

  const chunks: string[] = [];
  for await (const chunk of await exportStream(db, { format: "json", hostId: host.id })) chunks.push(chunk);
  const history = JSON.parse(chunks.join("")) as HistoryExport;
  expect(history.hostId).toBe(host.id);
  expect(history.hosts.map((h) => h.name)).toEqual(["lab"]);
  expect(history.runs).toHaveLength(runCount);
  expect(history.probes).toHaveLength(runCount);
  expect(history.probes.map((probe) => probe.contextRequested)).toEqual(runs.map((_, index) => 1024 + index));
  expect(history.events).toHaveLength(2 * runCount);
  expect(history.events[0]).toMatchObject({ type: "run.started", payload: { holder: "x" } });
  expect(history.events[1]).toMatchObject({ type: "run.finished", payload: "not json" });
  // Written as it is read: many chunks, none holding the whole history.
  const largest = Math.max(...chunks.map((chunk) => chunk.length));
  expect(chunks.length).toBeGreaterThan(10);
  expect(largest).toBeLessThan(chunks.join("").length / 4);

  const everything = JSON.parse(await exportRegistry(db, { format: "json" })) as HistoryExport;
  expect(everything.hostId).toBeNull();
  expect(everything.runs).toHaveLength(runCount + 1);
});

it("an empty database exports valid JSON with empty lists", async () => {
  const db = await openTempDatabase();
  open.push(db);
  const history = JSON.parse(await exportRegistry(db, { format: "json" })) as HistoryExport;
  expect(history).toMatchObject({
    format: "lmstrix-history",
    version: 1,
    hosts: [],
    schedules: [],
    runs: [],
    limitChanges: [],
    events: [],
  });
});

it("is a consistent cut: runs, probes and events written while it streams are left out", async () => {
  const db = await openTempDatabase();
  open.push(db);
  const host = await new PrismaStore(db.prisma).ensureHost("lab", "ws://127.0.0.1:1234");
  const model = await addModel(db, host.id);
  const before = await db.prisma.run.create({ data: { hostId: host.id, status: "running", mode: "single" } });
  await db.prisma.probe.create({ data: { runId: before.id, modelId: model.id, contextRequested: 1024 } });

  const chunks = (await exportStream(db, { format: "json" }))[Symbol.asyncIterator]();
  let text = "";
  // Read until the models list has begun: the cut is taken by then.
  while (!text.includes('"models"')) text += (await chunks.next()).value ?? "";
  const during = await db.prisma.run.create({ data: { hostId: host.id, status: "running", mode: "single" } });
  await db.prisma.probe.create({ data: { runId: before.id, modelId: model.id, contextRequested: 2048 } });
  await db.prisma.probe.create({ data: { runId: during.id, modelId: model.id, contextRequested: 4096 } });
  await db.prisma.runEvent.create({ data: { runId: before.id, type: "log" } });
  for (let next = await chunks.next(); !next.done; next = await chunks.next()) text += next.value;

  const history = JSON.parse(text) as HistoryExport;
  expect(history.runs.map((run) => run.id)).toEqual([before.id]);
  expect(history.probes.map((probe) => probe.contextRequested)).toEqual([1024]);
  expect(history.events).toEqual([]);
});

it("keeps each host's schedules and the limit changes its re-tests found, and no other host's", async () => {
  const db = await openTempDatabase();
  open.push(db);
  const store = new PrismaStore(db.prisma);
  const host = await store.ensureHost("lab", "ws://127.0.0.1:1234");
  const other = await store.ensureHost("other", "ws://127.0.0.1:2345");
  for (const { id } of [host, other]) {
    const model = await addModel(db, id);
    const run = await db.prisma.run.create({ data: { hostId: id, status: "completed", mode: "single" } });
    await db.prisma.schedule.create({
      data: { hostId: id, cron: "0 3 * * *", action: "retest-stale", lastOutcome: `queued run #${run.id}` },
    });
    await db.prisma.limitChange.create({
      data: {
        hostId: id,
        modelId: model.id,
        runId: run.id,
        kind: "loadable",
        fromLimit: 60_000,
        toLimit: 48_000,
        direction: "regression",
        causesJson: JSON.stringify([{ kind: "lmStudioVersion", from: "0.3.20", to: "0.4.21" }]),
        description: "60,000 → 48,000 after LM Studio 0.3.20 → 0.4.21",
      },
    });
  }

  const history = JSON.parse(await exportRegistry(db, { format: "json", hostId: host.id })) as HistoryExport;
  expect(history.schedules).toEqual([
    {
      id: expect.any(Number),
      hostId: host.id,
      cron: "0 3 * * *",
      action: "retest-stale",
      enabled: true,
      lastRunAt: null,
      lastOutcome: `queued run #${history.runs[0]!.id}`,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
    },
  ]);
  expect(history.limitChanges).toEqual([
    expect.objectContaining({
      hostId: host.id,
      modelId: history.models[0]!.id,
      runId: history.runs[0]!.id,
      fromLimit: 60_000,
      toLimit: 48_000,
      direction: "regression",
      causes: [{ kind: "lmStudioVersion", from: "0.3.20", to: "0.4.21" }],
      description: "60,000 → 48,000 after LM Studio 0.3.20 → 0.4.21",
    }),
  ]);
  const everything = JSON.parse(await exportRegistry(db, { format: "json" })) as HistoryExport;
  expect(everything.schedules).toHaveLength(2);
  expect(everything.limitChanges).toHaveLength(2);
});
