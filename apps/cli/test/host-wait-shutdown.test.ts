import { enqueueRun, HostWorker, runOptionsSchema } from "@lmstrix/core";
import { createLmStudioRuntime } from "@lmstrix/lmstudio-adapter";
import { type Emulator, type FleetInput, startEmulator } from "@lmstrix/lmstudio-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TempDir, tempDataDir, waitFor } from "./support/cli";
import { GiB, llm } from "./support/fleet";
import { openStore } from "./support/store";

const FLEET: FleetInput = {
  memoryBytes: 8 * GiB,
  models: [llm("model", { maxContextLength: 32_768, loadSecondsPerGiB: 6 })],
};

/**
 * A run whose LM Studio went away mid-probe. Stopped for a shutdown while it waits, it is left `interrupted`
 * with the dropped probe still open, and the next drain runs that probe again in its row. When LM Studio stays
 * away, the run fails and the model is left as it was before the dropped probe.
 */
describe("HostWorker shutdown while waiting for LM Studio", () => {
  let emulator: Emulator;
  let data: TempDir;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, fleet: FLEET, timeScale: 0.03, seed: 4 });
    data = tempDataDir();
  });
  afterAll(async () => {
    await emulator.close();
    data.dispose();
  });

  it("keeps the dropped probe open and resumes it in the same row, without a second one", async () => {
    const { store, close } = await openStore(data.dir);
    const runtime = createLmStudioRuntime({ url: emulator.url });
    try {
      const host = await store.ensureHost("local", emulator.url);
      const options = runOptionsSchema.parse({ modelKeys: ["model"], cooldownMs: 0, strategy: "lmstrix" });
      const run = await enqueueRun(store, { hostId: host.id, mode: "single", options, startedBy: "test" });
      const worker = new HostWorker({
        store,
        runtimeFor: () => runtime,
        holder: "web:test:1",
        heartbeatMs: 50,
        settings: { reconnectTimeoutMs: 60_000, reconnectPauseMs: 100 },
      });

      const shutdown = new AbortController();
      const draining = worker.drain(host, shutdown.signal);
      const inFlight = await waitFor("a probe in flight after one finished", async () => {
        const probes = await store.listRunProbes(run.id);
        return probes.some((p) => p.outcome !== null) && probes.find((p) => p.outcome === null);
      });
      const port = emulator.port;
      await emulator.close();
      await waitFor("the run to wait for LM Studio", async () =>
        (await store.listEventsAfter(run.id, 0, 10_000)).some((e) => e.payload.hostWait === "waiting"),
      );
      shutdown.abort();
      await draining;

      expect(await store.getRun(run.id)).toMatchObject({ status: "interrupted" });
      expect((await store.listRunProbes(run.id)).find((p) => p.id === inFlight.id)?.outcome).toBeNull();

      emulator = await startEmulator({ port, fleet: FLEET, timeScale: 0.03, seed: 4 });
      expect(await worker.drain(host)).toEqual({ state: "idle" });
      expect(await store.getRun(run.id)).toMatchObject({ status: "completed" });
      const probes = await store.listRunProbes(run.id);
      expect(["pass", "fail"]).toContain(probes.find((p) => p.id === inFlight.id)?.outcome);
      const sizes = probes.map((p) => p.contextRequested);
      expect(new Set(sizes).size).toBe(sizes.length);
      expect(probes.filter((p) => p.outcome === "cancelled" || p.outcome === null)).toEqual([]);
      expect(await store.getModel(host.id, "model")).toMatchObject({
        testStatus: "completed",
        loadableLimit: 32_768,
      });
      expect(emulator.state.loaded).toEqual([]);
    } finally {
      await runtime.close();
      await close();
    }
  });

  it("fails a run whose LM Studio stays away without blaming the model for the size it was loading", async () => {
    const { store, close } = await openStore(data.dir);
    const runtime = createLmStudioRuntime({ url: emulator.url });
    try {
      const host = await store.ensureHost("local", emulator.url);
      const options = runOptionsSchema.parse({
        modelKeys: ["model"],
        cooldownMs: 0,
        strategy: "lmstrix",
        reset: true,
      });
      const run = await enqueueRun(store, { hostId: host.id, mode: "single", options, startedBy: "test" });
      const worker = new HostWorker({
        store,
        runtimeFor: () => runtime,
        holder: "web:test:2",
        heartbeatMs: 50,
        settings: { reconnectTimeoutMs: 500, reconnectPauseMs: 100 },
      });
      const draining = worker.drain(host);
      const inFlight = await waitFor("a probe in flight after one finished", async () => {
        const probes = await store.listRunProbes(run.id);
        return probes.some((p) => p.outcome !== null) && probes.find((p) => p.outcome === null);
      });
      await emulator.close();
      await draining;

      const failed = await store.getRun(run.id);
      expect(failed?.status).toBe("failed");
      expect(failed?.message).toMatch(
        /^LM Studio at ws:\/\/127\.0\.0\.1:\d+ is not reachable .*Start LM Studio/,
      );
      const lost = (await store.listRunProbes(run.id)).find((p) => p.id === inFlight.id);
      expect(lost).toMatchObject({ outcome: "cancelled", errorCategory: "DISCONNECTED" });
      expect(await store.getModel(host.id, "model")).toMatchObject({
        testStatus: "untested",
        errorCategory: null,
        lastBadContext: lost?.previousBadContext,
      });
      expect(lost?.previousBadContext).not.toBe(lost?.contextRequested);
      expect(await store.getHostLease(host.id)).toBeNull();
    } finally {
      await runtime.close();
      await close();
    }
  });
});
