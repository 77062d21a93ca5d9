import { enqueueRun, HostWorker, runOptionsSchema } from "@lmstrix/core";
import { createLmStudioRuntime } from "@lmstrix/lmstudio-adapter";
import { type Emulator, startEmulator } from "@lmstrix/lmstudio-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TempDir, tempDataDir, waitFor } from "./support/cli";
import { GiB, llm } from "./support/fleet";
import { openStore } from "./support/store";

/**
 * The web server's side of the same engine: a worker stopped for a shutdown leaves its run `interrupted`
 * and the probe in flight open, and the next drain continues it in the same probe row.
 */
describe("HostWorker shutdown and resume", () => {
  let emulator: Emulator;
  let data: TempDir;

  beforeAll(async () => {
    emulator = await startEmulator({
      port: 0,
      fleet: {
        memoryBytes: 8 * GiB,
        models: [llm("model", { maxContextLength: 32_768, loadSecondsPerGiB: 6 })],
      },
      timeScale: 0.03,
      seed: 4,
    });
    data = tempDataDir();
  });
  afterAll(async () => {
    await emulator.close();
    data.dispose();
  });

  it("keeps the probe in flight open on shutdown and resumes it without a second row", async () => {
    const { store, close } = await openStore(data.dir);
    const runtime = createLmStudioRuntime({ url: emulator.url });
    try {
      const host = await store.ensureHost("local", emulator.url);
      // The lmstrix search takes many probes: enough time to stop the worker in the middle of one.
      const options = runOptionsSchema.parse({ modelKeys: ["model"], cooldownMs: 0, strategy: "lmstrix" });
      const run = await enqueueRun(store, { hostId: host.id, mode: "single", options, startedBy: "test" });
      const worker = new HostWorker({
        store,
        runtimeFor: () => runtime,
        holder: "web:test:1",
        heartbeatMs: 50,
      });

      const shutdown = new AbortController();
      const draining = worker.drain(host, shutdown.signal);
      const inFlight = await waitFor("a probe in flight after two finished ones", async () => {
        const probes = await store.listRunProbes(run.id);
        return probes.filter((p) => p.outcome !== null).length >= 2 && probes.find((p) => p.outcome === null);
      });
      shutdown.abort();
      await draining;

      expect(await store.getRun(run.id)).toMatchObject({ status: "interrupted" });
      const open = (await store.listRunProbes(run.id)).find((p) => p.id === inFlight.id);
      expect(open?.outcome).toBeNull();
      expect((await store.getModel(host.id, "model"))?.testStatus).toBe("testing");
      await waitFor("the aborted load to be cleaned up", () => emulator.state.loaded.length === 0);

      expect(await worker.drain(host)).toEqual({ state: "idle" });
      expect(await store.getRun(run.id)).toMatchObject({ status: "completed" });
      const probes = await store.listRunProbes(run.id);
      expect(probes.find((p) => p.id === inFlight.id)?.outcome).toBe("pass");
      const sizes = probes.map((p) => p.contextRequested);
      expect(new Set(sizes).size).toBe(sizes.length);
      expect(await store.getModel(host.id, "model")).toMatchObject({
        testStatus: "completed",
        loadableLimit: 32_768,
      });
      const types = (await store.listEventsAfter(run.id, 0, 10_000)).map((e) => e.type);
      expect(types).toContain("run.interrupted");
      expect(types).toContain("run.resumed");
      expect(await store.getHostLease(host.id)).toBeNull();
    } finally {
      await runtime.close();
      await close();
    }
  });
});
