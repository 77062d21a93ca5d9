import {
  HostWorker,
  type LoadOptions,
  type ModelHandle,
  RuntimeError,
  runOptionsSchema,
} from "@lmstrix/core";
import { type SimulatedModel, SimulatedRuntime } from "@lmstrix/core/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PrismaStore } from "./prisma-store";
import { openTempDatabase } from "./testing/temp-database";

const GiB = 1024 ** 3;

const MODEL: SimulatedModel = {
  modelKey: "small",
  displayName: "Small",
  type: "llm",
  format: "gguf",
  publisher: "test",
  path: "test/small.gguf",
  sizeBytes: GiB,
  architecture: "llama",
  quantization: "Q4_K_M",
  params: "1B",
  declaredContext: 8_192,
  vision: false,
  toolUse: false,
  kvBytesPerToken: 64 * 1024,
};

/** A host whose loads last until they are cancelled; `loading` settles when the first one has begun. */
class EndlessLoads extends SimulatedRuntime {
  private began: () => void = () => {};
  readonly loading = new Promise<void>((resolve) => {
    this.began = resolve;
  });

  constructor() {
    super({ models: [MODEL], memoryBytes: 8 * GiB });
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
  let db: Awaited<ReturnType<typeof openTempDatabase>>;
  let store: PrismaStore;

  beforeEach(async () => {
    db = await openTempDatabase();
    store = new PrismaStore(db.prisma);
  });
  afterEach(async () => {
    await db.dispose();
  });

  it("leaves its run interrupted with the probe open, and gives the host's lease back", async () => {
    const host = await store.ensureHost("local", "sim://host");
    const options = runOptionsSchema.parse({ modelKeys: ["small"], cooldownMs: 0 });
    const run = await store.createRun({ hostId: host.id, mode: "single", options, startedBy: "test" });
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
