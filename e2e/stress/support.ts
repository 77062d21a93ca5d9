import {
  ok,
  type RestartableEmulator,
  removeDir,
  startRestartableEmulator,
  startWebServer,
  tempDir,
  trpcGet,
  type WebServer,
  waitFor,
} from "../support/stack";

/** What most stress proofs stand on: a dashboard and an emulator of their own, on a fresh data directory. */

export interface Stack {
  dataDir: string;
  emulator: RestartableEmulator;
  web: WebServer;
}

export interface StackOptions {
  /** Names the temporary data directory (`lmstrix-<name>-…`), so a leftover one says which proof left it. */
  name: string;
  emulator: Parameters<typeof startRestartableEmulator>[0];
  /** The dashboard's extra environment (timings, a token…). */
  webEnv?: Record<string, string>;
}

/**
 * Starts the emulator and the dashboard on a fresh data directory for the length of `use`; afterwards the
 * dashboard is stopped (SIGTERM), then the emulator, and the directory is removed, however `use` ended.
 */
export async function withStack<T>(options: StackOptions, use: (stack: Stack) => Promise<T>): Promise<T> {
  const dataDir = tempDir(options.name);
  try {
    const emulator = await startRestartableEmulator(options.emulator);
    try {
      const web = await startWebServer({ dataDir, lmStudioUrl: emulator.url, env: options.webEnv });
      try {
        return await use({ dataDir, emulator, web });
      } finally {
        await web.stop();
      }
    } finally {
      await emulator.stop();
    }
  } finally {
    removeDir(dataDir);
  }
}

export interface HostRow {
  id: number;
  name: string;
  url: string;
}

/** The data directory's default host, "local" (in team mode `headers` carry the token). */
export async function localHost(baseUrl: string, headers: Record<string, string> = {}): Promise<HostRow> {
  const hosts = ok(await trpcGet<HostRow[]>(baseUrl, "host.list", undefined, headers), "host.list");
  const local = hosts.find((host) => host.name === "local");
  if (!local) throw new Error(`no host "local" among ${hosts.map((host) => host.name).join(", ")}`);
  return local;
}

export interface RunRow {
  id: number;
  status: string;
  message: string | null;
}

export const FINISHED = ["completed", "failed", "cancelled"];

export async function runRow(web: WebServer, id: number): Promise<RunRow> {
  return ok(await trpcGet<RunRow>(web.baseUrl, "run.get", { id }), `run.get ${id}`);
}

/** Waits until the run has ended (completed, failed or cancelled), however it ended. */
export function waitForRunEnd(web: WebServer, id: number, timeoutMs = 90_000): Promise<RunRow> {
  return waitFor(
    `run #${id} to end`,
    async () => {
      const run = await runRow(web, id);
      return FINISHED.includes(run.status) ? run : undefined;
    },
    { timeoutMs, intervalMs: 250 },
  );
}

/** Waits until the emulator is in the middle of a load, after `afterLoads` loads have succeeded. */
export function loadInFlight(emulator: RestartableEmulator, afterLoads: number): Promise<true> {
  return waitFor(
    `a load in flight after ${afterLoads} finished loads`,
    () => {
      const counters = emulator.current?.state.counters;
      return counters !== undefined && counters.loadsSucceeded >= afterLoads && counters.concurrentLoads > 0;
    },
    // Polled often: a load lasts well under a second and the proof must act while it is in flight.
    { timeoutMs: 60_000, intervalMs: 5 },
  );
}
