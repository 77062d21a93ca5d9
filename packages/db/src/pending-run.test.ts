import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runOptionsSchema } from "@lmstrix/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTempDatabase } from "../test/support/temp-database";
import { PrismaStore } from "./prisma-store";

const ALL = runOptionsSchema.parse({});
const here = path.dirname(fileURLToPath(import.meta.url));
const tsx = path.resolve(here, "../../../node_modules/.bin/tsx");

/** Runs `test/support/race-pending-runs.ts` in its own process: `count` simultaneous requests for one test-all. */
function race(dataDir: string, count: number): Promise<{ created: number[]; existing: number[] }> {
  return new Promise((resolve, reject) => {
    execFile(
      tsx,
      [path.join(here, "../test/support/race-pending-runs.ts"), dataDir, String(count)],
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout));
      },
    );
  });
}

describe("createRunUnlessPending", () => {
  let db: Awaited<ReturnType<typeof openTempDatabase>>;
  let store: PrismaStore;
  let hostId: number;

  beforeEach(async () => {
    db = await openTempDatabase();
    store = new PrismaStore(db.prisma);
    hostId = (await store.ensureHost("local", "ws://127.0.0.1:1234")).id;
  });
  afterEach(async () => {
    await db.dispose();
  });

  const request = (options = ALL) => ({ hostId, mode: "all" as const, options, startedBy: "web" });

  it("creates a run, then returns it instead of a twin while it is not finished", async () => {
    const first = await store.createRunUnlessPending(request());
    expect(first).toMatchObject({ created: true, run: { id: 1, status: "queued" } });
    for (const status of ["queued", "running", "interrupted"] as const) {
      await store.setRunStatus(1, status);
      expect(await store.createRunUnlessPending(request())).toMatchObject({
        created: false,
        run: { id: 1, status },
      });
    }
    // Nothing was written by the refusals: the next run created gets the next id.
    expect(await store.listRuns({})).toHaveLength(1);
    await store.setRunStatus(1, "completed");
    expect(await store.createRunUnlessPending(request())).toMatchObject({ created: true, run: { id: 2 } });
  });

  it("tells other options, modes and hosts apart", async () => {
    await store.createRunUnlessPending(request());
    expect((await store.createRunUnlessPending(request({ ...ALL, reset: true }))).created).toBe(true);
    const single = { ...request(), mode: "single" as const };
    expect((await store.createRunUnlessPending(single)).created).toBe(true);
    const other = (await store.ensureHost("other", "ws://127.0.0.1:1235")).id;
    expect((await store.createRunUnlessPending({ ...request(), hostId: other })).created).toBe(true);
  });

  it("creates exactly one run when several processes race, each asking several times at once", async () => {
    // Each process has its own SQLite connection; inside one, the queries share one connection.
    const outputs = await Promise.all(Array.from({ length: 4 }, () => race(db.dataDir, 5)));
    const created = outputs.flatMap((output) => output.created);
    expect(created).toHaveLength(1);
    const answered = outputs.flatMap((output) => [...output.created, ...output.existing]);
    expect(answered).toHaveLength(20);
    expect(new Set(answered)).toEqual(new Set(created));
    expect(await store.listRuns({})).toHaveLength(1);
  }, 60_000);
});
