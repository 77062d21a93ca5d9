import { runOptionsSchema } from "@lmstrix/core";
import { SimulatedRuntime } from "@lmstrix/core/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GiB, SMALL_MODEL } from "../test/support/engine-harness";
import { openTempDatabase } from "../test/support/temp-database";
import { hostTimings } from "./host-timings";
import { PrismaStore } from "./prisma-store";

describe("hostTimings (real SQLite)", () => {
  let db: Awaited<ReturnType<typeof openTempDatabase>>;
  let store: PrismaStore;
  beforeEach(async () => {
    db = await openTempDatabase();
    store = new PrismaStore(db.prisma);
  });
  afterEach(() => db.dispose());

  /** Stores a finished probe of `modelKey` in `runId` that took `seconds`. */
  async function probe(
    runId: number,
    modelId: number,
    seconds: number,
    outcome: "pass" | "fail" | "cancelled",
  ) {
    const started = await store.startProbe({ runId, modelId, contextRequested: 2_048, kind: "loadable" });
    await store.finishProbe(started.id, { ...started, outcome, errorCategory: null });
    const startedAt = new Date("2026-01-01T00:00:00Z");
    await db.prisma.probe.update({
      where: { id: started.id },
      data: { startedAt, finishedAt: new Date(startedAt.getTime() + seconds * 1_000) },
    });
  }

  it("gives the mean probe time and probes per model search of the host's other runs; cancelled probes do not count", async () => {
    const host = await store.ensureHost("local", "sim://host");
    const other = await store.ensureHost("other", "sim://other");
    const runtime = new SimulatedRuntime({
      models: [SMALL_MODEL, { ...SMALL_MODEL, modelKey: "second", path: "test/second.gguf" }],
      memoryBytes: 8 * GiB,
    });
    await store.syncModels(host.id, await runtime.listModels(), new Date());
    await store.syncModels(other.id, await runtime.listModels(), new Date());
    const [small, second] = await store.listModels({ hostId: host.id });
    const [elsewhere] = await store.listModels({ hostId: other.id });
    const options = runOptionsSchema.parse({});
    const newRun = (hostId: number) => store.createRun({ hostId, mode: "all", options, startedBy: "test" });
    expect(await hostTimings(db, host.id)).toEqual({ probeMs: null, probesPerModel: null });

    const earlier = await newRun(host.id);
    // "small": 3 probes of 10 s; "second": 1 probe of 30 s; a cancelled one of 600 s is left out.
    for (let index = 0; index < 3; index += 1) await probe(earlier.id, small!.id, 10, "pass");
    await probe(earlier.id, second!.id, 30, "fail");
    await probe(earlier.id, second!.id, 600, "cancelled");
    // Another host's probes and the run being estimated are not this host's history.
    await probe((await newRun(other.id)).id, elsewhere!.id, 900, "pass");
    const current = await newRun(host.id);
    await probe(current.id, small!.id, 700, "pass");

    expect(await hostTimings(db, host.id, current.id)).toEqual({ probeMs: 15_000, probesPerModel: 2 });
  });
});
