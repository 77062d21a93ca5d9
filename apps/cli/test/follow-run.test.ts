import { type RunEvent, runOptionsSchema } from "@lmstrix/core";
import { type Database, openDatabase, PrismaStore } from "@lmstrix/db";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { allRunEvents, followRun, lastEventId } from "../src/follow-run";
import { resultsFromEvents } from "../src/format/final-results";
import { type TempDir, tempDataDir } from "./support/cli";

let temp: TempDir;
let db: Database;
let store: PrismaStore;

beforeEach(async () => {
  temp = tempDataDir();
  db = await openDatabase({ dataDir: temp.dir });
  store = new PrismaStore(db.prisma);
});
afterEach(async () => {
  await db.close();
  temp.dispose();
});

/** A row as an older or hand-edited database may hold it, written past the typed store. */
const oddRow = (runId: number, type: string, payloadJson: string) =>
  db.prisma.runEvent.create({ data: { runId, type, payloadJson } });

describe("following a run's events", () => {
  it("hands on typed events, passes over rows that do not fit their kind, and counts them for the cursor", async () => {
    const host = await store.ensureHost("box", "ws://127.0.0.1:1");
    const run = await store.createRun({
      hostId: host.id,
      mode: "single",
      options: runOptionsSchema.parse({ modelKeys: ["a"] }),
      startedBy: "cli",
    });
    await store.appendEvent(run.id, "run.started", { holder: "cli:box:1" });
    await oddRow(run.id, "model.finished", JSON.stringify({ modelKey: "a" }));
    await oddRow(run.id, "probe.finished", "{not json");
    await store.appendEvent(run.id, "model.finished", {
      modelKey: "a",
      status: "completed",
      limit: 4_096,
      declared: 8_192,
      reason: null,
      errorCategory: null,
    });
    await store.setRunStatus(run.id, "completed", null);
    await store.appendEvent(run.id, "run.finished", { status: "completed", message: null });
    const last = await oddRow(run.id, "model.exploded", "{}");

    const seen: RunEvent[] = [];
    await followRun({
      store,
      runId: run.id,
      afterId: 0,
      pollMs: 10,
      leaseStaleMs: 1_000,
      onEvent: (event) => seen.push(event),
    });
    expect(seen.map((event) => event.type)).toEqual(["run.started", "model.finished", "run.finished"]);
    expect(resultsFromEvents(await allRunEvents(store, run.id))).toMatchObject([
      { modelKey: "a", status: "completed", limit: 4_096, declared: 8_192, efficiency: 50 },
    ]);
    // Resuming after the newest row, read or not: nothing is shown twice.
    expect(await lastEventId(store, run.id)).toBe(last.id);
  });
});
