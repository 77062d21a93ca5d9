import { describe, expect, it } from "vitest";
import { waitFor } from "./support/cli";
import { useSlowLoadHost, waitForProbeInFlight, withWorkerRun } from "./support/worker-run";

/**
 * A run whose LM Studio went away mid-probe. Stopped for a shutdown while it waits, it is left `interrupted`
 * with the dropped probe still open, and the next drain runs that probe again in its row. When LM Studio stays
 * away, the run fails and the model is left as it was before the dropped probe.
 */
describe("HostWorker shutdown while waiting for LM Studio", () => {
  const lmStudio = useSlowLoadHost();

  it("keeps the dropped probe open and resumes it in the same row, without a second one", async () => {
    const setup = {
      options: { strategy: "lmstrix" },
      holder: "web:test:1",
      settings: { reconnectTimeoutMs: 60_000, reconnectPauseMs: 100 },
    };
    await withWorkerRun(lmStudio, setup, async ({ store, host, run, worker }) => {
      const shutdown = new AbortController();
      const draining = worker.drain(host, shutdown.signal);
      const inFlight = await waitForProbeInFlight(store, run.id, 1);
      await lmStudio.emulator.close();
      await waitFor("the run to wait for LM Studio", async () =>
        (await store.listEventsAfter(run.id, 0, 10_000)).some((e) => e.payload.hostWait === "waiting"),
      );
      shutdown.abort();
      await draining;

      expect(await store.getRun(run.id)).toMatchObject({ status: "interrupted" });
      expect((await store.listRunProbes(run.id)).find((p) => p.id === inFlight.id)?.outcome).toBeNull();

      await lmStudio.restart();
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
      expect(lmStudio.emulator.state.loaded).toEqual([]);
    });
  });

  it("fails a run whose LM Studio stays away without blaming the model for the size it was loading", async () => {
    const setup = {
      options: { strategy: "lmstrix", reset: true },
      holder: "web:test:2",
      settings: { reconnectTimeoutMs: 500, reconnectPauseMs: 100 },
    };
    await withWorkerRun(lmStudio, setup, async ({ store, host, run, worker }) => {
      const draining = worker.drain(host);
      const inFlight = await waitForProbeInFlight(store, run.id, 1);
      await lmStudio.emulator.close();
      await draining;

      const failed = await store.getRun(run.id);
      expect(failed?.status).toBe("failed");
      expect(failed?.message).toMatch(
        /^LM Studio at ws:\/\/127\.0\.0\.1:\d+ is not reachable .*Start LM Studio/,
      );
      const lost = (await store.listRunProbes(run.id)).find((p) => p.id === inFlight.id);
      expect(lost).toMatchObject({ outcome: "cancelled", errorCategory: "DISCONNECTED" });
      // The reset run measured nothing: the model keeps the limit the run before found, unblamed.
      expect(await store.getModel(host.id, "model")).toMatchObject({
        testStatus: "completed",
        loadableLimit: 32_768,
        errorCategory: null,
        lastBadContext: lost?.previousBadContext,
      });
      expect(lost?.previousBadContext).not.toBe(lost?.contextRequested);
      expect(await store.getHostLease(host.id)).toBeNull();
    });
  });
});
