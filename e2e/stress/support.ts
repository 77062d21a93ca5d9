import { isFinishedRunStatus } from "@lmstrix/core";
import {
  type RestartableEmulator,
  removeDir,
  startRestartableEmulator,
  startWebServer,
  tempDir,
  type WebServer,
  waitFor,
} from "../support/stack";
import { findLocalHost, type HostRow, ok, type RunStart, trpcGet, trpcPost } from "../support/trpc";

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

/** In team mode `headers` carry the token, for each of the calls below. */
type TokenHeaders = Record<string, string>;

/** The data directory's default host, "local". */
export async function localHost(baseUrl: string, headers: TokenHeaders = {}): Promise<HostRow> {
  return findLocalHost(ok(await trpcGet<HostRow[]>(baseUrl, "host.list", undefined, headers), "host.list"));
}

/** Starts a run and returns its id; fails with the server's message when it is refused. */
export async function startRun(
  baseUrl: string,
  start: RunStart,
  headers: TokenHeaders = {},
): Promise<number> {
  return ok(await trpcPost<{ id: number }>(baseUrl, "run.start", start, { headers }), "run.start").id;
}

export interface RunRow {
  id: number;
  status: string;
  message: string | null;
}

export async function runRow(baseUrl: string, id: number, headers: TokenHeaders = {}): Promise<RunRow> {
  return ok(await trpcGet<RunRow>(baseUrl, "run.get", { id }, headers), `run.get ${id}`);
}

/** Waits until the run has ended (completed, failed or cancelled), however it ended. */
export function waitForRunEnd(
  baseUrl: string,
  id: number,
  { timeoutMs = 90_000, headers = {} }: { timeoutMs?: number; headers?: TokenHeaders } = {},
): Promise<RunRow> {
  return waitFor(
    `run #${id} to end`,
    async () => {
      const run = await runRow(baseUrl, id, headers);
      return isFinishedRunStatus(run.status) ? run : undefined;
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
