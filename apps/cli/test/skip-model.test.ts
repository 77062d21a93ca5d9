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

/** "slow" loads for ~1.5 s at this time scale: long enough for another process to skip it mid-load. */
const FLEET: FleetInput = {
  memoryBytes: 8 * GiB,
  models: [
    llm("first", { maxContextLength: 8_192 }),
    llm("slow", { maxContextLength: 32_768, loadSecondsPerGiB: 600 }),
    llm("last", { maxContextLength: 8_192 }),
  ],
};

describe("lmstrix cancel RUN --model KEY (skip the model in flight, from another process)", () => {
  let emulator: Emulator;
  let data: TempDir;
  let env: Record<string, string>;
  let driver: SpawnedCli | undefined;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, fleet: FLEET, timeScale: 0.0025, seed: 13 });
  });
  afterAll(() => emulator.close());
  beforeEach(() => {
    data = tempDataDir();
    env = testEnv(emulator.url, data.dir);
    emulator.resetCounters();
  });
  afterEach(() => {
    if (driver && driver.child.exitCode === null && driver.child.signalCode === null)
      driver.signal("SIGKILL");
    driver = undefined;
    data.dispose();
  });

  async function inDatabase<T>(read: (store: Awaited<ReturnType<typeof openStore>>["store"]) => Promise<T>) {
    const { store, close } = await openStore(data.dir);
    try {
      return await read(store);
    } finally {
      await close();
    }
  }

  it("ends the model in flight as skipped in the process driving the run, which goes on with the next model", async () => {
    driver = spawnCli(["test", "first", "slow", "last", "--cooldown", "0", "--strategy", "lmstrix"], env);
    const loading = await waitFor("a load of slow under way", () =>
      inDatabase(async (store) => {
        const slow = await store.getModel(1, "slow");
        const open = (await store.listRunProbes(1)).find((p) => p.outcome === null && p.modelId === slow?.id);
        const events = await store.listEventsAfter(1, 0, 10_000);
        const isLoading = events.some(
          (e) => e.type === "probe.loadProgress" && e.payload.probeId === open?.id,
        );
        return isLoading ? open : undefined;
      }).catch(() => undefined),
    );

    const skip = await runInProcess(["cancel", "1", "--model", "slow"], env);
    expect(skip.code, skip.stderr).toBe(0);
    expect(skip.stdout).toBe("slow skipped in run #1; the run goes on with the next model\n");

    const result = await driver.exited;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/⏭ slow: skip asked by cli:/);
    expect(result.stdout).toMatch(/■ slow: ⏭ skipped by cli:/);
    expect(result.stdout).toMatch(/│ slow +│ ⏭ Skipped +│/);
    expect(result.stdout).toMatch(/│ last +│ ✓ Completed +│/);
    expect(result.stdout).toContain("2 tested, 0 failed, 1 skipped");

    await inDatabase(async (store) => {
      expect((await store.getRun(1))?.status).toBe("completed");
      const slow = (await store.getModel(1, "slow"))!;
      const probes = (await store.listRunProbes(1)).filter((p) => p.modelId === slow.id);
      expect(probes.find((p) => p.id === loading.id)?.outcome).toBe("cancelled");
      expect(probes.every((p) => p.outcome !== null)).toBe(true);
      // Not left at testing; the pessimistic marker of the cancelled size is gone again.
      expect(slow.testStatus).toBe("untested");
      expect(slow.lastBadContext).toBeNull();
      expect((await store.getModel(1, "last"))?.testStatus).toBe("completed");
    });
    expect(emulator.state.counters.loadsCancelled).toBeGreaterThan(0);
    expect(emulator.state.loaded).toEqual([]);

    // A model that is not in flight any more, and a run that has ended, are refused with the reason.
    const late = await runInProcess(["cancel", "1", "--model", "last"], env);
    expect(late.code).toBe(1);
    expect(late.stderr).toContain("cannot skip: Run #1 has ended (completed): there is no model to skip");
    const unknown = await runInProcess(["cancel", "9", "--model", "slow"], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown run #9");
  }, 60_000);

  it("refuses to skip a model that has finished, or has not started, while the run goes on", async () => {
    driver = spawnCli(["test", "first", "slow", "last", "--cooldown", "0", "--strategy", "lmstrix"], env);
    await waitFor("slow under way", () =>
      inDatabase(async (store) => (await store.getModel(1, "slow"))?.testStatus === "testing").catch(
        () => false,
      ),
    );
    const finished = await runInProcess(["cancel", "1", "--model", "first"], env);
    expect(finished.code).toBe(1);
    expect(finished.stderr).toContain(
      "cannot skip: first is not in flight: it has finished in this run already",
    );
    const notYet = await runInProcess(["cancel", "1", "--model", "last"], env);
    expect(notYet.code).toBe(1);
    expect(notYet.stderr).toContain("cannot skip: last is not in flight: it has not started in this run");
    const result = await driver.exited;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("3 tested, 0 failed");
    await inDatabase(async (store) => {
      const events = await store.listEventsAfter(1, 0, 100_000);
      expect(events.some((e) => e.type === "model.skipRequested")).toBe(false);
    });
  }, 60_000);
});
