import { openDatabase } from "@lmstrix/db";
import { type FleetInput, hiddenLoadableLimit, parseFleet } from "@lmstrix/lmstudio-emulator";
import { expect, test } from "@playwright/test";
import { readRunEvents } from "../support/run-events";
import { type WebServer, waitFor } from "../support/stack";
import { loadInFlight, localHost, startRun, waitForRunEnd, withStack } from "./support";

/**
 * The dashboard stopped the way a service manager stops it (SIGTERM) in the middle of a load: it stops the run
 * itself — `interrupted` at once, the load abandoned and nothing left loaded, the host's lease given back — exits
 * cleanly, and the run resumes and completes when the dashboard is started again.
 */

/** Two models whose loads take ~0.6–0.9 s (1.5 s per GiB, scaled): long enough to stop the server mid-load. */
const FLEET: FleetInput = {
  memoryBytes: 8 * 1024 ** 3,
  models: [
    {
      modelKey: "stop-small-2b",
      type: "llm",
      format: "gguf",
      path: "test/stop-small-2b-GGUF/stop-small-2b-Q4_K_M.gguf",
      sizeBytes: 2 * 1024 ** 3,
      maxContextLength: 16_384,
      kvBytesPerToken: 65_536,
    },
    {
      modelKey: "stop-large-3b",
      type: "llm",
      format: "gguf",
      path: "test/stop-large-3b-GGUF/stop-large-3b-Q4_K_M.gguf",
      sizeBytes: 3 * 1024 ** 3,
      maxContextLength: 65_536,
      kvBytesPerToken: 131_072,
    },
  ],
};
const fleet = parseFleet(FLEET);
const TIME_SCALE = 0.2;
const PRECISION = 1024;
/** How long the stopped dashboard may take to exit: a service manager kills it soon after SIGTERM. */
const EXIT_WITHIN_MS = 10_000;

/** Sends SIGTERM and waits for the process to exit; fails when it is still running after `EXIT_WITHIN_MS`. */
async function stopWithin(web: WebServer): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const tooSlow = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the dashboard did not exit within ${EXIT_WITHIN_MS} ms of SIGTERM`)),
      EXIT_WITHIN_MS,
    );
  });
  try {
    await Promise.race([web.stop(), tooSlow]);
  } finally {
    clearTimeout(timer);
  }
  return web.process.exitCode;
}

/** What the database says about a run right now, with the server stopped. */
async function readStored(dataDir: string, runId: number) {
  const db = await openDatabase({ dataDir });
  try {
    const run = await db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
    const probes = await db.prisma.probe.findMany({ where: { runId }, orderBy: { id: "asc" } });
    const events = await readRunEvents(db, runId);
    const leases = await db.prisma.hostLease.findMany();
    const models = await db.prisma.model.findMany({
      select: { modelKey: true, testStatus: true, loadableLimit: true, id: true },
    });
    return { run, probes, types: events.map((event) => event.type), leases, models };
  } finally {
    await db.close();
  }
}

test("SIGTERM mid-load: the run is interrupted at once, nothing stays loaded, the host is free, and it resumes", async () => {
  const stack = { name: "graceful-stop", emulator: { fleet: FLEET, timeScale: TIME_SCALE, seed: 3 } };
  await withStack(stack, async ({ dataDir, emulator, web }) => {
    const host = await localHost(web.baseUrl);
    const runId = await startRun(web.baseUrl, {
      hostId: host.id,
      all: true,
      options: { strategy: "lmstrix", cooldownMs: 0, precision: PRECISION },
    });

    await loadInFlight(emulator, 2);
    const stoppedAt = Date.now();
    const exitCode = await stopWithin(web);
    const exitMs = Date.now() - stoppedAt;

    // Its own handler ran to the end (Next's would exit with 143, a forced exit with 1).
    expect(exitCode).toBe(0);
    expect(web.output()).toContain("SIGTERM received, stopping");

    // Straight after the exit, not after a lease went stale: interrupted by the process itself, the host free,
    // and the probe that was loading left open, to run again in its own row.
    const stopped = await readStored(dataDir, runId);
    expect(stopped.run.status).toBe("interrupted");
    expect(stopped.run.message).toBe("The process running it stopped during the run");
    expect(stopped.types).toContain("run.interrupted");
    expect(stopped.types).not.toContain("run.finished");
    expect(stopped.leases).toEqual([]);
    const open = stopped.probes.filter((probe) => probe.outcome === null);
    expect(open).toHaveLength(1);

    // The load was abandoned and nothing it or the run loaded is still held in LM Studio.
    await waitFor("LM Studio to finish with the abandoned load", () => {
      return emulator.current?.state.counters.concurrentLoads === 0;
    });
    expect(emulator.current?.state.loaded).toEqual([]);
    const countersAtStop = { ...emulator.current?.state.counters };

    await web.restart();
    const finished = await waitForRunEnd(web.baseUrl, runId);
    expect(finished).toMatchObject({ status: "completed", message: null });

    const done = await readStored(dataDir, runId);
    expect(done.types).toContain("run.resumed");
    // The open probe was run again in its row: no size tested twice, none left open.
    expect(done.probes.map((probe) => probe.id)).toContain(open[0]?.id);
    expect(done.probes.find((probe) => probe.id === open[0]?.id)?.outcome).not.toBeNull();
    const sizes = done.probes.map((probe) => `${probe.modelId}@${probe.kind}:${probe.contextRequested}`);
    expect(new Set(sizes).size).toBe(sizes.length);
    expect(done.probes.filter((probe) => probe.outcome === null)).toEqual([]);
    for (const model of fleet.models) {
      const stored = done.models.find((candidate) => candidate.modelKey === model.modelKey);
      const hidden = Math.min(hiddenLoadableLimit(model, fleet.memoryBytes), model.maxContextLength);
      expect(stored?.testStatus, model.modelKey).toBe("completed");
      expect(stored?.loadableLimit ?? 0, model.modelKey).toBeLessThanOrEqual(hidden);
      expect(hidden - (stored?.loadableLimit ?? 0), model.modelKey).toBeLessThan(PRECISION);
    }
    expect(emulator.current?.state.loaded).toEqual([]);
    await waitFor("the host's lease to be released", async () => {
      return (await readStored(dataDir, runId)).leases.length === 0;
    });
    console.log(
      `graceful-stop: exited ${exitMs} ms after SIGTERM; loads at stop ${countersAtStop.loadsStarted} started, ${countersAtStop.loadsCancelled} cancelled; ${done.probes.length} probes in all`,
    );
  });
});
