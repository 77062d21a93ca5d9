import {
  cancelRun,
  FINISHED_RUN_STATUSES,
  LmstrixError,
  requestModelSkip,
  SkipRefusedError,
  type Store,
} from "@lmstrix/core";
import { localHolder } from "@lmstrix/db";
import type { Command } from "../args";
import { openExistingDatabase } from "../database";
import type { CliEnv } from "../env";
import { EXIT, UsageError } from "../errors";
import { followRun, lastEventId } from "../follow-run";
import { CliNotifier } from "../notify";
import type { CommandContext } from "./context";

/**
 * Cancels a run from any process: a queued one ends at once; a running one is marked, its worker (this CLI
 * elsewhere, or the web server) sees it at its next heartbeat, aborts the probe and unloads. Waits for that.
 * With `--model KEY`, only that model — the one in flight — is skipped the same way, and the run goes on.
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
    if (command.modelKey !== undefined) {
      await skipModel(store, env, run.id, command.modelKey);
      io.stdout.write(`${command.modelKey} skipped in run #${run.id}; the run goes on with the next model\n`);
      return EXIT.ok;
    }
    if (FINISHED_RUN_STATUSES.includes(run.status)) {
      io.stdout.write(`Run #${run.id} has ended already (${run.status})\n`);
      return EXIT.ok;
    }
    const afterId = await lastEventId(store, run.id);
    // A queued run ends here, so its notifications are sent from here (a running one's worker sends its own).
    const notifier = new CliNotifier(store, database.db, env);
    await cancelRun(store, run.id, (ended) => notifier.runEnded(ended.id));
    await notifier.settle((text) => io.stderr.write(`${text}\n`));
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

/**
 * Asks the process driving the run to skip `modelKey` and waits until it has (its `model.finished` event),
 * or the run has ended meanwhile. A refusal (not running, not in flight) is a failure with its reason.
 */
async function skipModel(store: Store, env: CliEnv, runId: number, modelKey: string) {
  const afterId = await lastEventId(store, runId);
  try {
    await requestModelSkip(store, { runId, modelKey, by: localHolder("cli") });
  } catch (error) {
    if (error instanceof SkipRefusedError) {
      throw new LmstrixError(error.code, `cannot skip: ${error.message}`, { cause: error });
    }
    throw error;
  }
  const ended = new AbortController();
  let status: unknown;
  const run = await followRun({
    store,
    runId,
    afterId,
    pollMs: env.LMSTRIX_POLL_MS,
    leaseStaleMs: env.LMSTRIX_LEASE_STALE_MS,
    signal: ended.signal,
    onEvent: (event) => {
      if (event.type !== "model.finished" || event.payload.modelKey !== modelKey) return;
      status = event.payload.status;
      ended.abort();
    },
  });
  // The model may finish on its own between the request and the worker's next heartbeat.
  if (status === "skipped") return;
  throw new LmstrixError(
    "RUN_CHANGED",
    status === undefined
      ? `run #${runId} ended (${run.status}) before ${modelKey} was skipped`
      : `${modelKey} finished (${String(status)}) before the skip took effect`,
  );
}
