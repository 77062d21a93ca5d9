import {
  type EngineSettings,
  enqueueRun,
  type Host,
  HostWorker,
  type RunRecord,
  runOptionsSchema,
} from "@lmstrix/core";
import type { PrismaStore } from "@lmstrix/db";
import { createLmStudioRuntime } from "@lmstrix/lmstudio-adapter";
import type { FleetInput } from "@lmstrix/lmstudio-emulator";
import { waitFor } from "./cli";
import { useEmulatorHost } from "./emulator-host";
import { GiB, llm } from "./fleet";
import { openStore } from "./store";

/**
 * One model, "model", loadable to its full 32,768 tokens, whose loads take long enough (at the time scale of
 * `useSlowLoadHost`) for a test to act while a probe is in flight.
 */
export const SLOW_LOAD_FLEET: FleetInput = {
  memoryBytes: 8 * GiB,
  models: [llm("model", { maxContextLength: 32_768, loadSecondsPerGiB: 6 })],
};

/**
 * For the tests of the enclosing `describe`: the emulator with `SLOW_LOAD_FLEET` and one data directory they
 * share, both gone after the last test.
 */
export function useSlowLoadHost() {
  return useEmulatorHost({ fleet: SLOW_LOAD_FLEET, timeScale: 0.03, seed: 4 });
}

export interface WorkerRun {
  store: PrismaStore;
  host: Host;
  run: RunRecord;
  worker: HostWorker;
}

/**
 * The web server's side of the engine: a single-model run of "model" (no cool-down) queued on `lmStudio`'s
 * emulator, and a `HostWorker` with its own connection to its data directory's database, the real adapter and
 * quick heartbeats. `use` gets them; the connection and the runtime are closed afterwards, whatever happens.
 */
export async function withWorkerRun(
  lmStudio: { dataDir: string; emulator: { url: string } },
  setup: { options: Record<string, unknown>; holder: string; settings?: Partial<EngineSettings> },
  use: (ctx: WorkerRun) => Promise<void>,
): Promise<void> {
  const url = lmStudio.emulator.url;
  const { store, close } = await openStore(lmStudio.dataDir);
  const runtime = createLmStudioRuntime({ url });
  try {
    const host = await store.ensureHost("local", url);
    const options = runOptionsSchema.parse({ modelKeys: ["model"], cooldownMs: 0, ...setup.options });
    const run = await enqueueRun(store, { hostId: host.id, mode: "single", options, startedBy: "test" });
    const worker = new HostWorker({
      store,
      runtimeFor: () => runtime,
      holder: setup.holder,
      heartbeatMs: 50,
      settings: setup.settings,
    });
    await use({ store, host, run, worker });
  } finally {
    await runtime.close();
    await close();
  }
}

/** Waits until `finished` probes of the run have an outcome and another one is open, and returns the open one. */
export function waitForProbeInFlight(store: PrismaStore, runId: number, finished: number) {
  return waitFor(`a probe in flight after ${finished} finished`, async () => {
    const probes = await store.listRunProbes(runId);
    return (
      probes.filter((p) => p.outcome !== null).length >= finished && probes.find((p) => p.outcome === null)
    );
  });
}
