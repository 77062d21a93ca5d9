import "server-only";
import type { Database } from "@lmstrix/db";
import type { WebRunWorker } from "./run-worker";

/** The longest a stop may take before the process exits anyway (a service manager kills soon after). */
const FORCED_EXIT_MS = 8_000;
/** How long the run in flight gets to be marked interrupted and unload; the rest is for closing the database. */
const RUN_STOP_GRACE_MS = 6_000;
/**
 * A repeated signal this soon after the first is the same stop (Ctrl-C reaches both `pnpm start`'s launcher,
 * which forwards it, and this process); a later one is a person insisting, and quits at once.
 */
const SAME_STOP_MS = 1_000;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Folds the write-ahead log into lmstrix.db and closes the database, so a stopped server leaves one
 * self-contained file (copying lmstrix.db alone then copies all the data). Failing is harmless — SQLite reads
 * the log at the next open — so it is only logged. A CLI still holding the database can keep the log busy.
 */
async function checkpointAndClose(db: Database): Promise<void> {
  try {
    const rows = await db.prisma.$queryRawUnsafe<{ busy: unknown }[]>("PRAGMA wal_checkpoint(TRUNCATE)");
    if (Number(rows[0]?.busy ?? 0) !== 0) {
      console.log("LMStrix: the write-ahead log is in use by another process; it stays next to lmstrix.db");
    }
  } catch (error) {
    console.log(`LMStrix: could not fold the write-ahead log into lmstrix.db (${errorText(error)})`);
  }
  await db.close().catch((error: unknown) => {
    console.log(`LMStrix: could not close the database (${errorText(error)})`);
  });
}

/**
 * On Ctrl-C or a service stop (SIGTERM): stop taking runs, stop the run in flight — it is marked `interrupted`,
 * what it loaded is unloaded and the host's lease is given back, so the next start resumes it at once — then
 * fold the write-ahead log into the database file, close it and exit. Next leaves these signals to us only with
 * NEXT_MANUAL_SIG_HANDLE set (scripts/start-dashboard.ts sets it); without it, Next's own handler exits first
 * and the run is recovered when its lease goes stale.
 */
export function stopWorkerOnSignals(worker: WebRunWorker, db: Database): void {
  let stoppingSince: number | null = null;
  const stop = (signal: NodeJS.Signals) => {
    if (stoppingSince !== null) {
      if (Date.now() - stoppingSince < SAME_STOP_MS) return;
      console.log(`LMStrix: ${signal} again, quitting now (a run in flight resumes at the next start)`);
      process.exit(130);
    }
    stoppingSince = Date.now();
    console.log(
      `LMStrix: ${signal} received, stopping (a run in flight is marked interrupted and resumes later)`,
    );
    setTimeout(() => process.exit(1), FORCED_EXIT_MS).unref();
    let isClean = true;
    void worker
      .stop(RUN_STOP_GRACE_MS)
      .then((settled) => {
        isClean = settled;
        if (!settled) {
          console.log(
            `LMStrix: the run in flight did not stop within ${RUN_STOP_GRACE_MS / 1000} s; it resumes when its lease goes stale`,
          );
        }
      })
      .catch((error: unknown) => {
        isClean = false;
        console.log(`LMStrix: stopping the run worker failed (${errorText(error)})`);
      })
      .then(() => checkpointAndClose(db))
      .finally(() => process.exit(isClean ? 0 : 1));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
