import { type Emulator, type FleetInput, startEmulator } from "@lmstrix/lmstudio-emulator";
import { afterAll, describe, expect, it } from "vitest";
import { runInProcess, spawnCli, type TempDir, tempDataDir, testEnv, waitFor } from "./support/cli";
import { GiB, KiB, llm } from "./support/fleet";
import { openStore } from "./support/store";

/** Slow loads and slow answers, so that the test can kill the CLI while a model is loaded. */
const slow = { loadSecondsPerGiB: 3, generationTokensPerSecond: 1 };
const FLEET: FleetInput = {
  memoryBytes: 8 * GiB,
  models: [
    llm("alpha", { ...slow, maxContextLength: 32_768, kvBytesPerToken: 320 * KiB }),
    llm("beta", { ...slow, maxContextLength: 40_960, kvBytesPerToken: 96 * KiB }),
    llm("gamma", { ...slow, maxContextLength: 24_576, kvBytesPerToken: 640 * KiB }),
  ],
};
const COMMAND = ["test", "--all", "--cooldown", "0", "--json"];

async function summaries(dataDir: string) {
  const { store, close } = await openStore(dataDir);
  try {
    const models = await store.listModels({});
    return Object.fromEntries(
      models.map((m) => [
        m.modelKey,
        {
          testStatus: m.testStatus,
          loadableLimit: m.loadableLimit,
          lastGoodContext: m.lastGoodContext,
          lastBadContext: m.lastBadContext,
          errorCategory: m.errorCategory,
        },
      ]),
    );
  } finally {
    await close();
  }
}

describe("a killed `lmstrix test --all` resumes where it stopped", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("continues the same run, repeats no finished probe, unloads what the dead process left loaded", async () => {
    const emulator: Emulator = await startEmulator({ port: 0, fleet: FLEET, timeScale: 0.02, seed: 5 });
    const data: TempDir = tempDataDir();
    cleanups.push(
      () => emulator.close(),
      () => data.dispose(),
    );
    const env = testEnv(emulator.url, data.dir);

    const first = spawnCli(COMMAND, env);
    cleanups.push(() => {
      if (first.child.exitCode === null && first.child.signalCode === null) first.signal("SIGKILL");
    });
    // Wait until a few probes are done and another is under way in the database…
    await waitFor(
      "a few finished probes and one in flight",
      async () => {
        if (!(await import("node:fs")).existsSync(data.dbFile)) return false;
        const { store, close } = await openStore(data.dir);
        try {
          const probes = await store.listRunProbes(1);
          const events = await store.listEventsAfter(1, 0, 10_000);
          const open = probes.find((p) => p.outcome === null);
          return (
            probes.filter((p) => p.outcome !== null).length >= 4 &&
            open !== undefined &&
            events.some((e) => e.type === "probe.loadProgress" && e.payload.probeId === open.id)
          );
        } finally {
          await close();
        }
      },
      30_000,
      20,
    );
    // …and kill it the moment its model is loaded, so that the model is left behind.
    await waitFor("a loaded model", () => emulator.state.loaded.length === 1, 10_000, 1);
    const killedAt = Date.now();
    first.signal("SIGKILL");
    const killed = await first.exited;
    expect(killed.signal).toBe("SIGKILL");
    expect(emulator.state.loaded).toHaveLength(1);
    const leaked = emulator.state.loaded[0]!.modelKey;

    const before = await openStore(data.dir);
    const run = (await before.store.listRuns({}))[0]!;
    expect(run.status).toBe("running");
    const finishedBefore = (await before.store.listRunProbes(run.id)).filter(
      (p) => p.outcome !== null,
    ).length;
    await before.close();

    // The same command again: the dead holder is noticed, the run marked interrupted and resumed.
    const second = spawnCli(COMMAND, env);
    const resumed = await second.exited;
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`Resuming run #${run.id}`);
    const report = JSON.parse(resumed.stdout) as { run: { id: number; status: string } };
    expect(report.run).toMatchObject({ id: run.id, status: "completed" });

    const after = await openStore(data.dir);
    try {
      expect(await after.store.listRuns({})).toHaveLength(1);
      const probes = await after.store.listRunProbes(run.id);
      expect(probes.every((p) => p.outcome !== null)).toBe(true);
      expect(probes.filter((p) => p.outcome !== null).length).toBeGreaterThan(finishedBefore);
      const keys = probes.map((p) => `${p.runId}:${p.modelId}:${p.contextRequested}`);
      expect(new Set(keys).size).toBe(keys.length);
      const events = await after.store.listEventsAfter(run.id, 0, 100_000);
      const types = events.map((e) => e.type);
      expect(types).toContain("run.interrupted");
      expect(types).toContain("run.resumed");
      // Written by the second process, the interruption says when the first one was last alive (its last
      // heartbeat: during the run, before the kill), not when the second one noticed.
      const interruption = events.find((e) => e.type === "run.interrupted")!;
      const lastAliveAt = new Date(String(interruption.payload.lastAliveAt)).getTime();
      expect(lastAliveAt).toBeGreaterThanOrEqual(run.startedAt!.getTime());
      expect(lastAliveAt).toBeLessThanOrEqual(killedAt);
      expect(interruption.createdAt.getTime()).toBeGreaterThan(killedAt);
      const cleanup = events.find(
        (e) =>
          e.type === "warning" &&
          String(e.payload.message).startsWith("Unloading what the interrupted run left"),
      );
      expect(String(cleanup?.payload.message)).toContain(leaked);
    } finally {
      await after.close();
    }
    expect(emulator.state.loaded).toEqual([]);

    // The same fleet tested without interruption gives the same results.
    const reference = await startEmulator({ port: 0, fleet: FLEET, timeScale: 0.001, seed: 5 });
    const referenceData = tempDataDir();
    cleanups.push(
      () => reference.close(),
      () => referenceData.dispose(),
    );
    const uninterrupted = await runInProcess(COMMAND, testEnv(reference.url, referenceData.dir));
    expect(uninterrupted.code, uninterrupted.stderr).toBe(0);
    expect(await summaries(data.dir)).toEqual(await summaries(referenceData.dir));
  }, 90_000);
});
