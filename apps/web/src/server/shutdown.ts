import "server-only";
import type { WebRunWorker } from "./run-worker";

/** On Ctrl-C or a service stop: stop taking runs (the one in flight is left to resume at the next start). */
export function stopWorkerOnSignals(worker: WebRunWorker): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      void worker.stop().finally(() => process.exit(0));
    });
  }
}
