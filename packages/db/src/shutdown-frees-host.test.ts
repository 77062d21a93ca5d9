import { HostWorker, type LoadOptions, type ModelHandle, RuntimeError } from "@lmstrix/core";
import { SimulatedRuntime } from "@lmstrix/core/testing";
import { describe, expect, it } from "vitest";
import { GiB, queueRun, SMALL_MODEL, useTempStore } from "../test/support/engine-harness";

/** A host whose loads last until they are cancelled; `loading` settles when the first one has begun. */
class EndlessLoads extends SimulatedRuntime {
  private began: () => void = () => {};
  readonly loading = new Promise<void>((resolve) => {
    this.began = resolve;
  });

  constructor() {
    super({ models: [SMALL_MODEL], memoryBytes: 8 * GiB });
  }
  override load(_modelKey: string, options: LoadOptions): Promise<ModelHandle> {
    this.began();
    return new Promise((_, reject) => {
      options.signal?.addEventListener(
        "abort",
        () => reject(new RuntimeError("CANCELLED", "Load cancelled")),
        {
          once: true,
        },
      );
    });
  }
}

describe("a worker stopped for a shutdown", () => {
  const temp = useTempStore();

  it("leaves its run interrupted with the probe open, and gives the host's lease back", async () => {
    const { store } = temp;
    const { host, run } = await queueRun(store, { modelKeys: ["small"] });
    const runtime = new EndlessLoads();
    const worker = new HostWorker({ store, runtimeFor: () => runtime, holder: "web:test:1" });
    const shutdown = new AbortController();

    const drained = worker.drain(host, shutdown.signal);
    await runtime.loading;
    shutdown.abort();

    expect(await drained).toEqual({ state: "idle" });
    expect(await store.getRun(run.id)).toMatchObject({
      status: "interrupted",
      message: "The process running it stopped during the run",
    });
    // Free at once: the next process resumes the run without waiting for this lease to go stale.
    expect(await store.getHostLease(host.id)).toBeNull();
    const probes = await store.listRunProbes(run.id);
    expect(probes.map((probe) => probe.outcome)).toEqual([null]);
    expect(await runtime.listLoaded()).toEqual([]);
  });
});
