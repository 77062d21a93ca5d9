import { describe, expect, it } from "vitest";
import { waitFor } from "./support/cli";
import { useSlowLoadHost, waitForProbeInFlight, withWorkerRun } from "./support/worker-run";

/**
 * The web server's side of the same engine: a worker stopped for a shutdown leaves its run `interrupted`
 * and the probe in flight open, and the next drain continues it in the same probe row.
 */
describe("HostWorker shutdown and resume", () => {
  const lmStudio = useSlowLoadHost();

  it("keeps the probe in flight open on shutdown and resumes it without a second row", async () => {
    // The lmstrix search takes many probes: enough time to stop the worker in the middle of one.
    const setup = { options: { strategy: "lmstrix" }, holder: "web:test:1" };
    await withWorkerRun(lmStudio, setup, async ({ store, host, run, worker }) => {
      const shutdown = new AbortController();
      const draining = worker.drain(host, shutdown.signal);
      const inFlight = await waitForProbeInFlight(store, run.id, 2);
      shutdown.abort();
      await draining;

      expect(await store.getRun(run.id)).toMatchObject({ status: "interrupted" });
      const open = (await store.listRunProbes(run.id)).find((p) => p.id === inFlight.id);
      expect(open?.outcome).toBeNull();
      expect((await store.getModel(host.id, "model"))?.testStatus).toBe("testing");
      await waitFor("the aborted load to be cleaned up", () => lmStudio.emulator.state.loaded.length === 0);

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
    });
  });
});
