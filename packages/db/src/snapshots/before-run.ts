import type { RunRecord, Store } from "@lmstrix/core";
import type { Database } from "../open-database";
import { createSnapshot } from "./create";

/**
 * The run worker's `beforeRun` step, for the dashboard and the CLI alike (DESIGN: "a snapshot of the database is
 * taken before every run", not when an interrupted one resumes): a `before-run` snapshot pruned to the newest
 * `keep`, named in a log event of the run so that every viewer can see which snapshot to go back to. A failure
 * is the worker's to record as a warning; the run goes on.
 */
export async function snapshotBeforeRun(
  db: Database,
  store: Pick<Store, "appendEvent">,
  run: Pick<RunRecord, "id">,
  keep: number,
): Promise<void> {
  let name: string;
  try {
    name = (await createSnapshot(db, "before-run", { keep })).name;
  } catch (error) {
    throw new Error(
      `could not take a snapshot of the database (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  await store.appendEvent(run.id, "log", { message: `Snapshot of the database taken: ${name}` });
}
