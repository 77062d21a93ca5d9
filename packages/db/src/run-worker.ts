import { type Host, HostWorker, type ModelRuntime, type RunRecord, type Store } from "@lmstrix/core";
import type { SharedSettings } from "@lmstrix/core/config";
import type { Database } from "./open-database";
import { snapshotBeforeRun } from "./snapshots";

/** The settings a run worker takes from the environment, the same names in the dashboard and the CLI. */
export type RunWorkerSettings = Pick<
  SharedSettings,
  | "LMSTRIX_LEASE_STALE_MS"
  | "LMSTRIX_HEARTBEAT_MS"
  | "LMSTRIX_RECONNECT_TIMEOUT_MS"
  | "LMSTRIX_TIMEOUT_PAUSE_MS"
  | "LMSTRIX_LOAD_STALL_MS"
  | "LMSTRIX_SNAPSHOT_KEEP"
>;

/**
 * The run worker of this process, wired one way for the dashboard and the CLI: runs written through `store`,
 * a snapshot of `db` before each run, the lease as `holder`, and the engine's timings from the environment.
 */
export function createRunWorker(options: {
  store: Store;
  db: Database;
  runtimeFor: (host: Host) => ModelRuntime;
  holder: string;
  settings: RunWorkerSettings;
  /** Between reconnection attempts to a host that went away (the engine's default when not given). */
  reconnectPauseMs?: number;
  /** Once a run has ended and its rows are written (notifications); not awaited. */
  afterRun?: (run: RunRecord) => void;
}): HostWorker {
  const { store, db, settings } = options;
  return new HostWorker({
    store,
    runtimeFor: options.runtimeFor,
    holder: options.holder,
    beforeRun: (run) => snapshotBeforeRun(db, store, run, settings.LMSTRIX_SNAPSHOT_KEEP),
    ...(options.afterRun && { afterRun: options.afterRun }),
    leaseStaleMs: settings.LMSTRIX_LEASE_STALE_MS,
    heartbeatMs: settings.LMSTRIX_HEARTBEAT_MS,
    settings: {
      reconnectTimeoutMs: settings.LMSTRIX_RECONNECT_TIMEOUT_MS,
      ...(options.reconnectPauseMs !== undefined && { reconnectPauseMs: options.reconnectPauseMs }),
      timeoutPauseMs: settings.LMSTRIX_TIMEOUT_PAUSE_MS,
      loadStallMs: settings.LMSTRIX_LOAD_STALL_MS,
    },
  });
}
