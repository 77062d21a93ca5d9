import { type Emulator, type FleetInput, startEmulator } from "@lmstrix/lmstudio-emulator";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  runInProcess,
  type SpawnedCli,
  spawnCli,
  type TempDir,
  tempDataDir,
  testEnv,
  waitFor,
} from "./support/cli";
import { GiB, llm } from "./support/fleet";
import { openStore } from "./support/store";

/** Loads take ~250 ms here, so that runs overlap and a probe is reliably in flight when cancelled. */
const slowLoad = { loadSecondsPerGiB: 6 };
const FLEET: FleetInput = {
  memoryBytes: 8 * GiB,
  models: [
    // Its loads above 4,096 hang (until skipped): it holds the host however slowly the second process starts.
    llm("first", { ...slowLoad, maxContextLength: 65_536, faults: [{ hangAbove: 4_096 }] }),
    llm("second", { ...slowLoad, maxContextLength: 8_192 }),
    llm("long", { ...slowLoad }),
  ],
};

describe("runs on one host: one at a time, others wait; cancel", () => {
  let emulator: Emulator;
  let data: TempDir;
  let env: Record<string, string>;
  const spawned: SpawnedCli[] = [];

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, fleet: FLEET, timeScale: 0.04, seed: 11 });
  });
  afterAll(() => emulator.close());
  beforeEach(() => {
    data = tempDataDir();
    env = testEnv(emulator.url, data.dir);
    emulator.resetCounters();
  });
  afterEach(() => {
    for (const cli of spawned.splice(0)) {
      if (cli.child.exitCode === null && cli.child.signalCode === null) cli.signal("SIGKILL");
    }
    data.dispose();
  });

  function start(argv: string[]): SpawnedCli {
    const cli = spawnCli(argv, env);
    spawned.push(cli);
    return cli;
  }

  async function runStatus(runId: number) {
    const { store, close } = await openStore(data.dir);
    try {
      return await store.getRun(runId);
    } finally {
      await close();
    }
  }

  /** Resolves once the run has finished a few probes and has one in flight (its load under way). */
  async function probeInFlight(runId: number, finished: number) {
    return waitFor("a probe in flight", async () => {
      const { store, close } = await openStore(data.dir).catch(() => ({
        store: null,
        close: async () => {},
      }));
      if (!store) return false;
      try {
        const probes = await store.listRunProbes(runId);
        const events = await store.listEventsAfter(runId, 0, 10_000);
        const open = probes.find((p) => p.outcome === null);
        return (
          probes.filter((p) => p.outcome !== null).length >= finished &&
          open !== undefined &&
          events.some((e) => e.type === "probe.loadProgress" && e.payload.probeId === open.id) &&
          open
        );
      } finally {
        await close();
      }
    });
  }

  it("a second process waits (its run stays queued) until the first run ends; never two loads at once", async () => {
    const first = start(["test", "first", "--cooldown", "0", "--strategy", "lmstrix"]);
    await probeInFlight(1, 1);
    const second = start(["test", "second", "--cooldown", "0"]);
    await waitFor("the second process to wait", () =>
      second.output().stdout.includes("Waiting for host local"),
    );
    expect(second.output().stdout).toMatch(/Waiting for host local \(run #1 by cli:[^)]+\); run #2 starts/);
    expect((await runStatus(2))?.status).toBe("queued");
    expect((await runStatus(1))?.status).toBe("running");
    // The hung load of the first run is skipped: its run ends, and only then does the second start.
    const skip = await runInProcess(["cancel", "1", "--model", "first"], env);
    expect(skip.code, skip.stderr).toBe(0);

    const [a, b] = await Promise.all([first.exited, second.exited]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(a.stdout).toContain("Final Results");
    expect(b.stdout).toMatch(/│ second +│ ✓ Completed +│ +8,192 │ +8,192 │ +100\.0% │/);
    const [run1, run2] = [await runStatus(1), await runStatus(2)];
    expect(run1?.status).toBe("completed");
    expect(run2?.status).toBe("completed");
    expect(run2!.startedAt!.getTime()).toBeGreaterThanOrEqual(run1!.finishedAt!.getTime());
    expect(emulator.state.counters.maxConcurrentLoads).toBe(1);
    expect(emulator.state.loaded).toEqual([]);
  });

  it("`lmstrix cancel` from another process aborts the probe in flight, unloads, and the run ends cancelled", async () => {
    const running = start(["test", "long", "--cooldown", "0", "--strategy", "lmstrix"]);
    const inFlight = await probeInFlight(1, 2);
    const cancel = await runInProcess(["cancel", "1"], env);
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stdout).toContain("Run #1 cancelled");

    const result = await running.exited;
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("Run #1 cancelled");
    const { store, close } = await openStore(data.dir);
    try {
      expect((await store.getRun(1))?.status).toBe("cancelled");
      const probes = await store.listRunProbes(1);
      expect(probes.find((p) => p.id === inFlight.id)?.outcome).toBe("cancelled");
      expect(probes.every((p) => p.outcome !== null)).toBe(true);
      const model = await store.getModel(1, "long");
      expect(model?.testStatus).toBe("untested");
      // The cancelled size proved nothing: the pessimistic marker is gone again.
      expect(model?.lastBadContext).toBeNull();
      expect(model?.lastGoodContext).toBeGreaterThanOrEqual(4_096);
    } finally {
      await close();
    }
    expect(
      emulator.state.counters.loadsCancelled + emulator.state.counters.predictionsCancelled,
    ).toBeGreaterThan(0);
    expect(emulator.state.loaded).toEqual([]);
  });

  it("Ctrl-C cancels the run, unloads, and exits 1", async () => {
    const running = start(["test", "long", "--cooldown", "0", "--strategy", "lmstrix", "--json"]);
    await probeInFlight(1, 1);
    running.signal("SIGINT");
    const result = await running.exited;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Cancelling run #1");
    expect(JSON.parse(result.stdout).run.status).toBe("cancelled");
    expect((await runStatus(1))?.status).toBe("cancelled");
    expect(emulator.state.loaded).toEqual([]);
  });
});
