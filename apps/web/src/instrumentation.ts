/**
 * Runs once when the server starts: opens the database so migrations are applied before the first request,
 * and a broken data directory is reported at start rather than on a page.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getDatabase } = await import("./server/db");
  const db = await getDatabase();
  console.log(
    `LMStrix database: ${db.file}${db.appliedMigrations.length ? ` (migrated: ${db.appliedMigrations.join(", ")})` : ""}`,
  );
}
