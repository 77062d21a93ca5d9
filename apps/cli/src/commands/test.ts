import {
  cancelRun,
  type DownloadedModel,
  DuplicateRunError,
  describeAllSelection,
  enqueueRun,
  LmstrixError,
  nothingStaleMessage,
  planRun,
  plural,
  type RunMode,
  type RunOptions,
  type RunRecord,
  recallPercent,
  runRequestSchema,
  type Store,
} from "@lmstrix/core";
import { createRunWorker, hostTimings, localHolder, recoverStoppedRuns } from "@lmstrix/db";
import type { TestCommand } from "../args";
import { type CliDatabase, openCliDatabase, openExistingDatabase } from "../database";
import { driveHostUntilRunEnds, findResumableRun } from "../drive-host";
import type { CliEnv } from "../env";
import { EXIT, UsageError } from "../errors";
import { allRunEvents, followRun, lastEventId } from "../follow-run";
import { type ModelResult, renderFinalResults, resultsFromEvents } from "../format/final-results";
import { formatCount, formatDuration } from "../format/numbers";
import { ProgressPrinter } from "../format/progress";
import { chooseHost, type HostChoice, hostName, hostUrl, saveHost } from "../hosts";
import { CliNotifier } from "../notify";
import { createRuntime, explainRuntimeError } from "../runtime";
import type { CommandContext } from "./context";
import { staleRunRequest } from "./test-stale";

/** Two SIGINTs closer than this are one Ctrl-C delivered twice (see the handler in `testCommand`). */
const DUPLICATE_SIGNAL_MS = 250;

/** What the command line asks for, as the engine's run mode and options (core's rules, as the dashboard's). */
export function runRequest(
  command: TestCommand,
  defaults: { cooldownMs?: number } = {},
): { mode: RunMode; options: RunOptions } {
  const request = runRequestSchema.safeParse({
    all: command.all,
    modelKeys: command.all ? [] : command.modelKeys,
    options: {
      threshold: command.threshold,
      fixedContext: command.ctx,
      precision: command.precision,
      reset: command.reset,
      force: command.force,
      keepLoaded: command.keepLoaded,
      cooldownMs: command.cooldownMs,
      strategy: command.strategy,
      effective: command.effective,
      recallThreshold: command.recallThreshold,
    },
  });
  if (!request.success)
    throw new UsageError(request.error.issues.map((issue) => issue.message).join("; "), "test");
  return planRun(request.data, defaults);
}

/**
 * `lmstrix test`: validate (reading only), queue the run (or continue the same interrupted one), work the
 * host's queue up to it, follow its events from the database, print the results.
 */
export async function testCommand(command: TestCommand, { io, env }: CommandContext): Promise<number> {
  const asked = command.stale ? null : runRequest(command, { cooldownMs: env.LMSTRIX_COOLDOWN_MS });

  // Bad usage is found before anything is written: no host row, no run, not even a database file.
  const existing = await openExistingDatabase(env);
  let choice: HostChoice;
  let request: { mode: RunMode; options: RunOptions } | null;
  try {
    choice = await chooseHost(existing?.store ?? null, command.host, env);
    await checkModelKeys(existing?.store ?? null, choice, command.modelKeys, env);
    request = asked ?? (await staleRunRequest(existing?.store ?? null, choice, command));
  } catch (error) {
    await existing?.close();
    throw error;
  }
  if (!request) {
    await existing?.close();
    io.stdout.write(`${nothingStaleMessage(hostName(choice))}\n`);
    return EXIT.ok;
  }
  const { mode, options } = request;

  const database: CliDatabase = existing ?? (await openCliDatabase(env));
  const { store } = database;
  const runtime = createRuntime(hostUrl(choice), env);
  const holder = localHolder("cli");
  let stopListening = () => {};
  try {
    const host = await saveHost(store, choice);
    // Progress is for people; with --json stdout carries the results only.
    const printer = new ProgressPrinter(command.json ? io.stderr : io.stdout, {
      host: await hostTimings(database.db, host.id),
      cooldownMs: options.cooldownMs,
    });
    await recoverStoppedRuns(store, env.LMSTRIX_LEASE_STALE_MS);
    const resumable = await findResumableRun(store, host.id, mode, options);
    const run =
      resumable ??
      // "Started by" names who asked (README: the CLI records "cli"); which process runs it is the lease's holder.
      (await enqueueRun(store, { hostId: host.id, mode, options, startedBy: CLI_STARTED_BY }).catch(
        (error: unknown) => {
          // The same "test all" is running in another process (the dashboard, another CLI): refused, as there.
          if (error instanceof DuplicateRunError)
            throw new LmstrixError(
              "RUN_DUPLICATE",
              `${error.message} (lmstrix cancel ${error.existing.id})`,
              {
                cause: error,
              },
            );
          throw error;
        },
      ));
    printer.line(
      resumable
        ? `Resuming run #${run.id} (${run.status}${run.message ? `: ${run.message}` : ""}) on ${host.name} (${host.url})`
        : `Run #${run.id} on ${host.name} (${host.url}): ${describeRequest(mode, options)}`,
    );

    const notifier = new CliNotifier(store, database.db, env);
    const worker = createRunWorker({
      store,
      db: database.db,
      runtimeFor: () => runtime,
      holder,
      settings: env,
      reconnectPauseMs: env.LMSTRIX_RECONNECT_PAUSE_MS,
      afterRun: (ended) => notifier.runEnded(ended.id),
    });

    // First Ctrl-C: cancel (the probe in flight is aborted and the model unloaded); second: leave now.
    // One Ctrl-C can arrive twice within a few milliseconds: the terminal signals the whole process group,
    // and the tsx launcher relays it again when this process does not acknowledge it quickly (a busy event
    // loop). A second signal that close to the first is the same key press, not the second one.
    let interrupts = 0;
    let firstInterruptAt = 0;
    stopListening = io.onInterrupt(() => {
      if (interrupts > 0 && Date.now() - firstInterruptAt < DUPLICATE_SIGNAL_MS) return;
      interrupts += 1;
      if (interrupts === 1) firstInterruptAt = Date.now();
      if (interrupts > 1) {
        io.stderr.write("\nQuitting without waiting; the next start resumes or cleans up.\n");
        io.exitNow(130);
        return;
      }
      printer.line(`Cancelling run #${run.id}… (Ctrl-C again to quit at once)`);
      void cancelRun(store, run.id)
        .then(() => worker.abortLocalRun(run.id))
        .catch((error: unknown) => io.stderr.write(`Could not cancel: ${String(error)}\n`));
    });

    const afterId = resumable ? await lastEventId(store, run.id) : 0;
    const stopFollowing = new AbortController();
    const following = followRun({
      store,
      runId: run.id,
      afterId,
      pollMs: env.LMSTRIX_POLL_MS,
      leaseStaleMs: env.LMSTRIX_LEASE_STALE_MS,
      signal: stopFollowing.signal,
      onEvent: (event) => {
        if (event.type !== "run.queued") printer.print(event);
      },
    });
    // If working the queue fails, the follower must not keep polling a database about to be closed.
    await driveHostUntilRunEnds({
      store,
      worker,
      host,
      runId: run.id,
      leaseStaleMs: env.LMSTRIX_LEASE_STALE_MS,
      retryMs: env.LMSTRIX_QUEUE_RETRY_MS,
      onWaiting: (busyHolder, busyRunId) =>
        printer.line(
          busyRunId === run.id
            ? `Run #${run.id} is being run by ${busyHolder} (the web server or another CLI); following it`
            : `Waiting for host ${host.name} (run #${busyRunId ?? "?"} by ${busyHolder}); run #${run.id} starts when it is free`,
        ),
    }).catch(async (error: unknown) => {
      stopFollowing.abort();
      await following.catch(() => undefined);
      throw error;
    });
    const finished = await following;
    await notifier.settle((text) => io.stderr.write(`${text}\n`));
    return await report(store, finished, command, io.stdout, printer);
  } finally {
    stopListening();
    await runtime.close();
    await database.close();
  }
}

async function report(
  store: Store,
  run: RunRecord,
  command: TestCommand,
  stdout: CommandContext["io"]["stdout"],
  printer: ProgressPrinter,
): Promise<number> {
  const results = resultsFromEvents(await allRunEvents(store, run.id));
  const failed = results.filter((result) => result.status === "failed");
  const isSuccess = run.status === "completed" && failed.length === 0;
  if (command.json) {
    stdout.write(`${JSON.stringify(jsonReport(run, results), null, 2)}\n`);
    return isSuccess ? EXIT.ok : EXIT.failure;
  }
  if (results.length > 0) {
    printer.line("");
    stdout.write(renderFinalResults(results));
  } else if (run.status === "completed") {
    printer.line(
      run.mode === "all"
        ? "Nothing to test: every LLM on this host is tested already (--reset tests them again)."
        : "Nothing was tested.",
    );
  }
  const took =
    run.startedAt && run.finishedAt
      ? ` in ${formatDuration(run.finishedAt.getTime() - run.startedAt.getTime())}`
      : "";
  const skipped = results.filter((result) => result.status === "skipped").length;
  const completed = results.length - failed.length - skipped;
  // "tested", as the status column says: "completed" is the run's word.
  const counts = `${completed} tested, ${failed.length} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`;
  printer.line(`Run #${run.id} ${run.status}${took}: ${counts}${run.message ? ` — ${run.message}` : ""}`);
  return isSuccess ? EXIT.ok : EXIT.failure;
}

function jsonReport(run: RunRecord, results: ModelResult[]) {
  return {
    run: {
      id: run.id,
      status: run.status,
      message: run.message,
      mode: run.mode,
      options: run.options,
      startedAt: run.startedAt?.toISOString() ?? null,
      finishedAt: run.finishedAt?.toISOString() ?? null,
    },
    results,
  };
}

/** The "Started by" of runs the command line starts. */
export const CLI_STARTED_BY = "cli";

function describeRequest(mode: RunMode, options: RunOptions): string {
  const what =
    mode === "all"
      ? describeAllSelection(options)
      : options.modelKeys.length === 1
        ? options.modelKeys[0]!
        : plural(options.modelKeys.length, "model");
  if (options.fixedContext !== undefined)
    return `${what} at exactly ${formatCount(options.fixedContext)} tokens`;
  const precision = options.precision === undefined ? "auto" : formatCount(options.precision);
  const effective = options.effective
    ? `, effective context (recall ≥ ${recallPercent(options.recallThreshold)})`
    : "";
  return `${what}, ${options.strategy} search, threshold ${formatCount(options.threshold)}, precision ${precision}, cooldown ${options.cooldownMs / 1000} s${effective}`;
}

/**
 * Every key must be an LLM of the host: known to the database, or — before the first scan — listed by the
 * host itself. Reads only; an unknown key is bad usage (exit 2).
 */
async function checkModelKeys(store: Store | null, choice: HostChoice, keys: string[], env: CliEnv) {
  if (keys.length === 0) return;
  const hostId = "stored" in choice ? choice.stored.id : null;
  const types = new Map<string, DownloadedModel["type"]>();
  for (const key of keys) {
    const model = store && hostId !== null ? await store.getModel(hostId, key) : null;
    if (model?.isPresent) types.set(key, model.type);
  }
  let listed: DownloadedModel[] = [];
  if (keys.some((key) => !types.has(key))) {
    const runtime = createRuntime(hostUrl(choice), env);
    try {
      listed = await runtime.listModels();
    } catch (error) {
      throw explainRuntimeError(error, choice);
    } finally {
      await runtime.close();
    }
    for (const model of listed) if (keys.includes(model.modelKey)) types.set(model.modelKey, model.type);
  }
  const unknown = keys.filter((key) => !types.has(key));
  if (unknown.length > 0) {
    const known = store && hostId !== null ? (await store.listModels({ hostId })).map((m) => m.modelKey) : [];
    const candidates = [...new Set([...known, ...listed.map((model) => model.modelKey)])];
    const hints = unknown.flatMap((key) => similarKeys(key, candidates));
    throw new UsageError(
      `unknown ${unknown.length === 1 ? "model key" : "model keys"} ${unknown.map((key) => `"${key}"`).join(", ")} on host ${hostName(choice)}` +
        (hints.length > 0
          ? `; did you mean ${hints.map((key) => `"${key}"`).join(", ")}?`
          : "; see: lmstrix list --show id"),
      "test",
    );
  }
  const embeddings = keys.filter((key) => types.get(key) === "embedding");
  if (embeddings.length > 0) {
    throw new UsageError(
      `${embeddings.join(", ")}: ${embeddings.length === 1 ? "an embedding model has" : "embedding models have"} no chat to check; test LLMs only`,
      "test",
    );
  }
}

function similarKeys(key: string, candidates: string[]): string[] {
  const needle = key.toLowerCase().split("/").pop() ?? key.toLowerCase();
  return candidates.filter((candidate) => candidate.toLowerCase().includes(needle)).slice(0, 3);
}
