import { askModel, hostHolder, isRuntimeError, LmstrixError } from "@lmstrix/core";
import type { Command } from "../args";
import { openExistingDatabase } from "../database";
import { EXIT, UsageError } from "../errors";
import { formatCount, formatDuration } from "../format/numbers";
import { chooseHost, hostName, hostUrl } from "../hosts";
import { createRuntime, explainRuntimeError } from "../runtime";
import type { CommandContext } from "./context";

/**
 * `lmstrix infer`: loads the model at its tested limit (declared context if untested, or `--ctx`), streams
 * the answer to stdout, unloads. Writes nothing to the database. Refuses while a test run uses the host:
 * a second model in memory would spoil the run's measurements.
 */
export async function inferCommand(
  command: Extract<Command, { name: "infer" }>,
  { io, env }: CommandContext,
) {
  const database = await openExistingDatabase(env);
  let contextLength = command.ctx;
  let choice: Awaited<ReturnType<typeof chooseHost>>;
  try {
    choice = await chooseHost(database?.store ?? null, command.host, env);
    if (database && "stored" in choice) {
      const busy = await hostHolder(database.store, choice.stored.id, env.LMSTRIX_LEASE_STALE_MS);
      if (busy) {
        throw new LmstrixError(
          "HOST_BUSY",
          `host ${choice.stored.name} is busy with run #${busy.runId} (${busy.holder}); loading another model now would spoil its measurements. Try again when it ends, or cancel it.`,
        );
      }
      const model = await database.store.getModel(choice.stored.id, command.model);
      if (model?.type === "embedding")
        throw new UsageError(`${command.model} is an embedding model`, "infer");
      if (model) contextLength ??= model.loadableLimit ?? model.declaredContext;
    }
  } finally {
    await database?.close();
  }

  const url = hostUrl(choice);
  const runtime = createRuntime(url, env);
  const controller = new AbortController();
  const stopListening = io.onInterrupt(() => {
    if (controller.signal.aborted) io.exitNow(130);
    controller.abort();
  });
  try {
    if (contextLength === undefined) {
      // Not scanned yet: the host's own listing gives the declared context.
      const listed = (await runtime.listModels({ signal: controller.signal })).find(
        (m) => m.modelKey === command.model,
      );
      if (!listed)
        throw new UsageError(`unknown model key "${command.model}" on host ${hostName(choice)}`, "infer");
      if (listed.type === "embedding")
        throw new UsageError(`${command.model} is an embedding model`, "infer");
      contextLength = listed.declaredContext;
    }
    io.stderr.write(`Loading ${command.model} at ${formatCount(contextLength)} tokens…\n`);
    const asked = contextLength;
    const { stats } = await askModel(runtime, {
      modelKey: command.model,
      contextLength,
      prompt: command.prompt,
      temperature: command.temperature,
      maxTokens: command.maxTokens,
      signal: controller.signal,
      onLoaded: (handle) => {
        if (handle.contextLength !== asked)
          io.stderr.write(`LM Studio loaded ${formatCount(handle.contextLength)} tokens instead\n`);
      },
      onFragment: (text) => io.stdout.write(text),
    });
    io.stdout.write("\n");
    const parts = [
      stats.predictedTokens !== null ? `${formatCount(stats.predictedTokens)} tokens` : null,
      stats.tokensPerSecond !== null ? `${stats.tokensPerSecond.toFixed(1)} tok/s` : null,
      stats.timeToFirstTokenMs !== null
        ? `first token after ${formatDuration(stats.timeToFirstTokenMs)}`
        : null,
    ].filter((part) => part !== null);
    if (parts.length > 0) io.stderr.write(`(${parts.join(", ")})\n`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (isRuntimeError(error) && error.category === "CANCELLED") {
      io.stderr.write("\nCancelled\n");
      return EXIT.failure;
    }
    throw explainRuntimeError(error, url);
  } finally {
    stopListening();
    await runtime.close();
  }
}
