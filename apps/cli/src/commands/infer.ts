import { askModel, hostHolder, isRuntimeError, LmstrixError, plural } from "@lmstrix/core";
import type { Command } from "../args";
import { openExistingDatabase } from "../database";
import { EXIT, UsageError } from "../errors";
import { formatCount, formatDuration, oneLine } from "../format/numbers";
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
  // Loaded at its declared context because nothing was measured nor asked: a refusal then says what to do.
  let isUntested = false;
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
      if (model) {
        isUntested = command.ctx === undefined && model.loadableLimit === null;
        contextLength ??= model.loadableLimit ?? model.declaredContext;
      }
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
      isUntested = true;
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
      stats.predictedTokens !== null ? plural(stats.predictedTokens, "token") : null,
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
    // lmstrix loads an untested model at its declared context, which a big window often cannot hold.
    if (isUntested && isRuntimeError(error) && error.category === "INSUFFICIENT_RESOURCES") {
      throw new LmstrixError(
        "HOST_FAILED",
        `${error.category}: ${oneLine(error.message, 400)} ${command.model} is untested, so it was loaded at its declared context: give a smaller one with --ctx N, or measure its limit first with: lmstrix test ${command.model}`,
        { cause: error },
      );
    }
    throw explainRuntimeError(error, choice);
  } finally {
    stopListening();
    await runtime.close();
  }
}
