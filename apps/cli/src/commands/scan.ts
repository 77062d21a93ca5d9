import { LmstrixError, liveHostLease, type ModelSummaryPatch, plural } from "@lmstrix/core";
import type { Command } from "../args";
import { openCliDatabase, openExistingDatabase } from "../database";
import { EXIT } from "../errors";
import { chooseHost, hostName, hostUrl, saveHost } from "../hosts";
import { createRuntime, explainRuntimeError } from "../runtime";
import type { CommandContext } from "./context";

/** What `--failed` / `--reset` clear: the test summary (probe history stays). */
export const CLEARED_RESULTS: ModelSummaryPatch = {
  testStatus: "untested",
  loadableLimit: null,
  effectiveLimit: null,
  lastGoodContext: null,
  lastBadContext: null,
  lastTestedAt: null,
  errorCategory: null,
  errorMessage: null,
};

export async function scanCommand(
  command: Extract<Command, { name: "scan" }>,
  { io, env }: CommandContext,
): Promise<number> {
  // Look the host up without writing: an unknown host is bad usage and must leave the database alone.
  const existing = await openExistingDatabase(env);
  const choice = await chooseHost(existing?.store ?? null, command.host, env).finally(() =>
    existing?.close(),
  );

  const runtime = createRuntime(hostUrl(choice), env);
  let downloaded: Awaited<ReturnType<typeof runtime.listModels>>;
  try {
    downloaded = await runtime.listModels();
  } catch (error) {
    throw explainRuntimeError(error, hostUrl(choice));
  } finally {
    await runtime.close();
  }

  const { store, close } = await openCliDatabase(env);
  try {
    const host = await saveHost(store, choice);
    const sync = await store.syncModels(host.id, downloaded, new Date());
    const llms = downloaded.filter((model) => model.type === "llm").length;
    io.stdout.write(
      `Scanned ${hostName(choice)} (${host.url}): ${plural(downloaded.length, "model")}, ${plural(llms, "LLM")}, ${plural(downloaded.length - llms, "embedding model")}\n`,
    );
    const list = (label: string, keys: string[]) => {
      if (keys.length > 0) io.stdout.write(`  ${label} (${keys.length}): ${keys.join(", ")}\n`);
    };
    list("new", sync.added);
    list("changed", sync.changed);
    list("gone, kept and marked absent", sync.gone);
    io.stdout.write(`  unchanged: ${sync.unchanged}\n`);

    if (command.failed || command.reset) {
      const lease = await liveHostLease(store, host.id, env.LMSTRIX_LEASE_STALE_MS);
      if (lease) {
        throw new LmstrixError(
          "HOST_BUSY",
          `not clearing results: run #${lease.runId ?? "?"} is testing on ${host.name} right now (${lease.holder})`,
        );
      }
      const models = await store.listModels({ hostId: host.id });
      const targets = models.filter((model) => command.reset || model.testStatus === "failed");
      for (const model of targets) await store.updateModelSummary(model.id, CLEARED_RESULTS);
      io.stdout.write(
        `Cleared the test results of ${plural(targets.length, command.reset ? "model" : "failed model")}\n`,
      );
    }
    return EXIT.ok;
  } finally {
    await close();
  }
}
