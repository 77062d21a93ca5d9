import { readdirSync, readFileSync, watch } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openDatabase } from "@lmstrix/db";
import type { EmulatorCounters } from "@lmstrix/lmstudio-emulator";
import { expect, type Page, test } from "@playwright/test";
import { readRunEvents } from "../support/run-events";
import { type RestartableEmulator, type WebServer, waitFor } from "../support/stack";
import { localHost, startRun, waitForRunEnd, withStack } from "./support";

/**
 * The dashboard's server killed with SIGKILL in the middle of a batch run (during a model load, while a reply
 * streams, during a database write) is started again on the same data directory and port: it takes the dead
 * process's lease over, resumes the same run and ends with exactly what an uninterrupted run of the same fleet
 * gives — no probe lost or repeated, nothing left loaded, the database intact.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
/**
 * Three small LLMs tested one after the other (5 loads answered, 5 refused by the memory guardrail): `crash-small`
 * and `crash-medium` load at their declared size, `crash-tight` stops below it, so its search takes 8 probes.
 * Prompts are processed instantly and replies come a token a second, so a prediction in flight is streaming.
 */
const FLEET_FILE = path.join(here, "../fixtures/crash-fleet.json");
const SEED = 11;
/**
 * Loads take 0.3–0.6 s and replies ("96", two tokens) 0.6 s: a load or reply is seen within 2 ms of its start, and
 * the kill reaches the emulator long before it could end by itself.
 */
const TIME_SCALE = 0.3;
const RUN_OPTIONS = { cooldownMs: 0 };
const POLL = { timeoutMs: 60_000, intervalMs: 2 };

interface StoredProbe {
  modelKey: string;
  kind: string;
  contextRequested: number;
  contextApplied: number | null;
  outcome: string | null;
  errorCategory: string | null;
}

/** What a run left in the database, read with the server stopped. */
interface StoredRun {
  runIds: number[];
  status: string | undefined;
  startedAt: Date | null;
  /** When the restarted server noticed the interruption (null when there was none). */
  interruptedAt: Date | null;
  probes: StoredProbe[];
  models: Record<string, unknown>;
  eventTypes: string[];
  warnings: string[];
  integrity: string;
}

async function readStoredRun(dataDir: string, runId: number): Promise<StoredRun> {
  const db = await openDatabase({ dataDir });
  try {
    const runs = await db.prisma.run.findMany({ orderBy: { id: "asc" } });
    const probes = await db.prisma.probe.findMany({
      where: { runId },
      orderBy: { id: "asc" },
      include: { model: { select: { modelKey: true } } },
    });
    const models = await db.prisma.model.findMany({ orderBy: { modelKey: "asc" } });
    const events = await readRunEvents(db, runId);
    const integrity =
      await db.prisma.$queryRawUnsafe<{ integrity_check: string }[]>("PRAGMA integrity_check");
    const run = runs.find((candidate) => candidate.id === runId);
    return {
      runIds: runs.map((candidate) => candidate.id),
      status: run?.status,
      startedAt: run?.startedAt ?? null,
      interruptedAt: events.find((event) => event.type === "run.interrupted")?.createdAt ?? null,
      probes: probes.map((probe) => ({
        modelKey: probe.model.modelKey,
        kind: probe.kind,
        contextRequested: probe.contextRequested,
        contextApplied: probe.contextApplied,
        outcome: probe.outcome,
        errorCategory: probe.errorCategory,
      })),
      models: Object.fromEntries(
        models.map((model) => [
          model.modelKey,
          {
            testStatus: model.testStatus,
            loadableLimit: model.loadableLimit,
            lastGoodContext: model.lastGoodContext,
            lastBadContext: model.lastBadContext,
            errorCategory: model.errorCategory,
          },
        ]),
      ),
      eventTypes: events.map((event) => event.type),
      warnings: events.flatMap((event) => (event.type === "warning" ? [String(event.payload.message)] : [])),
      integrity: integrity.map((row) => row.integrity_check).join("; "),
    };
  } finally {
    await db.close();
  }
}

async function startBatchRun(web: WebServer): Promise<number> {
  const hostId = (await localHost(web.baseUrl)).id;
  return startRun(web.baseUrl, { hostId, all: true, options: RUN_OPTIONS });
}

let reference: Promise<StoredRun> | undefined;

/** The same fleet tested from a fresh data directory without interruption (instant emulator: same results). */
function referenceRun(): Promise<StoredRun> {
  const stack = { name: "crash-reference", emulator: { fleetFile: FLEET_FILE, timeScale: 0, seed: SEED } };
  reference ??= withStack(stack, async ({ dataDir, web }) => {
    const runId = await startBatchRun(web);
    expect((await waitForRunEnd(web.baseUrl, runId)).status).toBe("completed");
    await web.stop();
    const stored = await readStoredRun(dataDir, runId);
    // Every model of the fleet got a result and several probes were run: the comparisons below mean something.
    expect(Object.values(stored.models).map((model) => (model as { testStatus: string }).testStatus)).toEqual(
      ["completed", "completed", "completed"],
    );
    expect(stored.probes.length).toBeGreaterThan(5);
    return stored;
  });
  return reference;
}

interface Batch {
  web: WebServer;
  emulator: RestartableEmulator;
  runId: number;
  counters(): EmulatorCounters;
}

/**
 * Starts a batch through the dashboard, lets `crash` kill the server at its moment, starts the server again and
 * checks that the run resumed and ended as the reference did. Returns what was stored, for case-specific checks.
 */
async function crashAndResume(
  name: string,
  crash: (batch: Batch) => Promise<void>,
  afterResume?: (batch: Batch, page: Page) => Promise<void>,
  page?: Page,
): Promise<StoredRun> {
  const stack = {
    name: `crash-${name}`,
    emulator: { fleetFile: FLEET_FILE, timeScale: TIME_SCALE, seed: SEED },
  };
  return withStack(stack, async ({ dataDir, emulator, web }) => {
    const runId = await startBatchRun(web);
    const batch: Batch = { web, emulator, runId, counters: () => emulator.current!.state.counters };
    await crash(batch);
    expect(web.process.signalCode).toBe("SIGKILL");

    // The dead process's lease would stay live for ten minutes by the clock: the run can only resume (within
    // the test's time) because the new server sees that the process holding it is gone.
    await web.restart({ LMSTRIX_LEASE_STALE_MS: "600000" });
    expect((await waitForRunEnd(web.baseUrl, runId)).status).toBe("completed");
    // The run unloads after every probe, the cleanup after the crash included: nothing stays loaded.
    expect(emulator.current!.state.loaded).toEqual([]);
    const health = await fetch(`${web.baseUrl}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ database: { ok: true, integrity: "ok" } });
    if (afterResume && page) await afterResume(batch, page);
    await web.stop();

    const stored = await readStoredRun(dataDir, runId);
    const expected = await referenceRun();
    // The same run went on: no second run was made, and it completed.
    expect(stored.runIds).toEqual([runId]);
    expect(stored.status).toBe("completed");
    expect(stored.integrity).toBe("ok");
    // Killed, noticed as interrupted (its holder is gone), resumed by the new process.
    expect(stored.eventTypes.filter((type) => type.startsWith("run."))).toEqual([
      "run.queued",
      "run.started",
      "run.interrupted",
      "run.resumed",
      "run.finished",
    ]);
    // Resuming kept the time the run first started, so its duration counts the work before the kill.
    expect(stored.startedAt!.getTime()).toBeLessThan(stored.interruptedAt!.getTime());
    // No probe left open, none lost or repeated: the probes are exactly the reference run's, in the same order.
    expect(stored.probes.filter((probe) => probe.outcome === null)).toEqual([]);
    const attempts = stored.probes.map((p) => `${p.modelKey}:${p.kind}:${p.contextRequested}`);
    expect(new Set(attempts).size).toBe(attempts.length);
    expect(stored.probes).toEqual(expected.probes);
    expect(stored.models).toEqual(expected.models);
    return stored;
  });
}

/**
 * Frames of the write-ahead log's current generation after its last commit frame: a transaction written only in
 * part, which SQLite's recovery must discard. (WAL header: page size at byte 8, salts at 16–23; each frame: a
 * 24-byte header — "database size after commit" at byte 4, non-zero only on a commit frame; the salts at 8–15 —
 * then the page. Frames with other salts are left over from before the log was last restarted.)
 */
function uncommittedWalFrames(walFile: string): number {
  const wal = readFileSync(walFile);
  if (wal.length < 32) return 0;
  const pageSize = wal.readUInt32BE(8);
  const salts = wal.subarray(16, 24);
  let frames = 0;
  let committed = 0;
  for (let offset = 32; offset + 24 <= wal.length; offset += 24 + pageSize) {
    if (!wal.subarray(offset + 8, offset + 16).equals(salts)) break;
    frames++;
    if (wal.readUInt32BE(offset + 4) !== 0) committed = frames;
  }
  return frames - committed;
}

/** SIGSTOP, then waits until every thread of the process has stopped (Linux `/proc`): nothing writes after it. */
function freeze(pid: number): void {
  process.kill(pid, "SIGSTOP");
  const isStopped = (thread: string) => {
    try {
      const state = readFileSync(`/proc/${pid}/task/${thread}/stat`, "utf8").split(") ")[1] ?? "";
      return /^[tTZX]/.test(state);
    } catch {
      return true; // the thread is gone
    }
  };
  const deadline = Date.now() + 5_000;
  while (!readdirSync(`/proc/${pid}/task`).every(isStopped)) {
    if (Date.now() > deadline) throw new Error(`process ${pid} did not stop within 5 s`);
  }
}

/**
 * Kills the server in the middle of a database transaction. Every write to `lmstrix.db-wal` wakes an inotify
 * watch; once `isArmed`, each wake-up freezes the server and reads the log: when its tail is a transaction
 * without its commit frame yet, the server is killed right there, otherwise it goes on until its next write.
 * (A plain kill on the first wake-up often lands just after a small transaction's commit instead.)
 */
function killMidTransaction(web: WebServer, walFile: string, isArmed: () => boolean): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const pid = web.process.pid!;
    const timer = setTimeout(() => {
      watcher.close();
      reject(new Error("no half-written transaction caught within 30 s"));
    }, 30_000);
    const watcher = watch(walFile, () => {
      if (!isArmed()) return;
      try {
        freeze(pid);
      } catch (error) {
        process.kill(pid, "SIGCONT");
        clearTimeout(timer);
        watcher.close();
        reject(error);
        return;
      }
      if (uncommittedWalFrames(walFile) === 0) {
        process.kill(pid, "SIGCONT");
        return;
      }
      process.kill(pid, "SIGKILL");
      clearTimeout(timer);
      watcher.close();
      resolve();
    });
  });
}

/** Resolves once `answered` check replies came back and `moment` holds (polled every 2 ms; the emulator runs here). */
function midBatch(what: string, counters: () => EmulatorCounters, answered: number, moment: () => boolean) {
  return waitFor(what, () => (counters().predictionsSucceeded >= answered && moment()) || undefined, POLL);
}

test.describe("the dashboard killed with SIGKILL mid-batch resumes the same run", () => {
  test.beforeAll(async () => {
    test.setTimeout(60_000);
    await referenceRun();
  });

  test("killed during a model load", async () => {
    await crashAndResume("load", async ({ web, counters }) => {
      // Two models done; the third (`crash-tight`) is loading for its second probe.
      await midBatch("a model load in flight", counters, 2, () => counters().concurrentLoads > 0);
      await web.kill();
      // The emulator saw the socket close during the load and cancelled it: the kill landed inside the load.
      await waitFor("the emulator to cancel the orphaned load", () => counters().loadsCancelled === 1);
      expect(counters().concurrentLoads).toBe(0);
    });
  });

  test("killed while a reply streams; the run page shows the interruption and the resumption", async ({
    page,
  }) => {
    let leftLoaded: string[] = [];
    const stored = await crashAndResume(
      "prediction",
      async ({ web, emulator, counters }) => {
        // Three replies answered; `crash-tight` is answering its second passing probe.
        await midBatch("a reply streaming", counters, 3, () => counters().concurrentPredictions > 0);
        await web.kill();
        // The socket closed mid-reply (the emulator stops such a stream as user-stopped); the model it was
        // answering with stays loaded, as in LM Studio when a client dies.
        await waitFor("the emulator to stop the orphaned reply", () => counters().predictionsCancelled === 1);
        leftLoaded = emulator.current!.state.loaded.map((instance) => instance.identifier);
        expect(leftLoaded).toHaveLength(1);
      },
      async ({ web, runId }, browser) => {
        await browser.goto(`${web.baseUrl}/runs/${runId}`);
        await expect(browser.getByTestId("run-outcome")).toHaveText("The run completed.");
        const messages = browser.getByTestId(/^run-(warning|log)$/);
        await expect(messages.filter({ hasText: "Interrupted:" })).toHaveCount(1);
        await expect(messages.filter({ hasText: "Resumed where it stopped" })).toHaveCount(1);
        const texts = await messages.allTextContents();
        const interrupted = texts.findIndex((text) => text.includes("Interrupted:"));
        const resumed = texts.findIndex((text) => text.includes("Resumed where it stopped"));
        expect(interrupted).toBeLessThan(resumed);
        // The cleanup of the model the dead process left loaded comes after the resumption.
        const cleanup = texts.findIndex((text) => text.includes("Unloading what the interrupted run left"));
        expect(cleanup).toBeGreaterThan(resumed);
        // Its duration tells the time it worked from the time it lay dead between the kill and the restart.
        await expect(browser.getByTestId("run-duration")).toContainText(/\(.+ active, .+ stopped\)$/);
      },
      page,
    );
    const cleanup = stored.warnings.find((warning) =>
      warning.startsWith("Unloading what the interrupted run left loaded"),
    );
    expect(cleanup).toContain(leftLoaded[0]);
  });

  test("killed during a database write", async () => {
    await crashAndResume("db-write", async ({ web, counters }) => {
      // Armed while the second model's check reply streams: the writes that follow record that probe's result
      // and finish the model (or renew the lease, the heartbeat running alongside).
      await midBatch("a reply streaming", counters, 1, () => counters().concurrentPredictions > 0);
      const answered = counters().predictionsSucceeded;
      const wal = path.join(web.dataDir, "lmstrix.db-wal");
      await killMidTransaction(web, wal, () => counters().predictionsSucceeded > answered);
      await web.kill();
      // The dead process left a transaction without its commit frame; the restarted server must ignore it.
      expect(uncommittedWalFrames(wal)).toBeGreaterThan(0);
    });
  });
});
