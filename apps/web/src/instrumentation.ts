/**
 * Runs once when the server starts: opens (and migrates) the database, so a broken data directory is reported
 * at start rather than on a page, and starts the run worker, which resumes runs a crash interrupted.
 */
export async function register() {
  // NEXT_RUNTIME is Next's own flag: this file is also evaluated for the edge runtime, which has no Node APIs.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getServices } = await import("./server/services");
  const { stopWorkerOnSignals } = await import("./server/shutdown");
  const { db, worker } = await getServices();
  const migrated = db.appliedMigrations.length ? ` (migrated: ${db.appliedMigrations.join(", ")})` : "";
  console.log(`LMStrix database: ${db.file}${migrated}`);
  worker.start();
  stopWorkerOnSignals(worker, db);
}
