import "server-only";
import type { WebRunWorker } from "./run-worker";

/** The longest a stop may take before the process exits anyway (a service manager kills soon after). */
const FORCED_EXIT_MS = 8_000;

/**
 * On Ctrl-C or a service stop (SIGTERM): stop taking runs, stop the run in flight — it is marked `interrupted`,
 * what it loaded is unloaded and the host's lease is given back, so the next start resumes it at once — then
 * exit. Next leaves these signals to us only with NEXT_MANUAL_SIG_HANDLE set (scripts/start-dashboard.ts sets
 * it); without it, Next's own handler exits first and the run is recovered when its lease goes stale.
 */
export function stopWorkerOnSignals(worker: WebRunWorker): void {
  let isStopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (isStopping) return;
    isStopping = true;
    console.log(`LMStrix: ${signal} received, stopping the run in flight`);
    setTimeout(() => process.exit(1), FORCED_EXIT_MS).unref();
    void worker.stop().finally(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
