import { cancelRun, FINISHED_RUN_STATUSES } from "@lmstrix/core";
import type { Command } from "../args";
import { openExistingDatabase } from "../database";
import { EXIT, UsageError } from "../errors";
import { followRun, lastEventId } from "../follow-run";
import type { CommandContext } from "./context";

/**
 * Cancels a run from any process: a queued one ends at once; a running one is marked, its worker (this CLI
 * elsewhere, or the web server) sees it at its next heartbeat, aborts the probe and unloads. Waits for that.
 */
export async function cancelCommand(
  command: Extract<Command, { name: "cancel" }>,
  { io, env }: CommandContext,
) {
  const database = await openExistingDatabase(env);
  try {
    const run = database ? await database.store.getRun(command.runId) : null;
    if (!database || !run)
      throw new UsageError(`unknown run #${command.runId} (see: lmstrix runs)`, "cancel");
    const { store } = database;
    if (FINISHED_RUN_STATUSES.includes(run.status)) {
      io.stdout.write(`Run #${run.id} has ended already (${run.status})\n`);
      return EXIT.ok;
    }
    const afterId = await lastEventId(store, run.id);
    await cancelRun(store, run.id);
    if (run.status === "running") {
      io.stdout.write(`Cancelling run #${run.id}; waiting for its process to stop the probe and unload…\n`);
      await followRun({
        store,
        runId: run.id,
        afterId,
        pollMs: env.LMSTRIX_POLL_MS,
        leaseStaleMs: env.LMSTRIX_LEASE_STALE_MS,
        onEvent: () => {},
      });
    }
    io.stdout.write(`Run #${run.id} cancelled\n`);
    return EXIT.ok;
  } finally {
    await database?.close();
  }
}
