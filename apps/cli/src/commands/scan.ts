import {
  clearTestResults,
  describeStaleReason,
  HostBusyError,
  LmstrixError,
  plural,
  scanHost,
  staleModels,
} from "@lmstrix/core";
import type { Command } from "../args";
import { type CliDatabase, openCliDatabase, openExistingDatabase } from "../database";
import { EXIT } from "../errors";
import { chooseHost, hostName, hostUrl, saveHost } from "../hosts";
import { createRuntime, explainRuntimeError } from "../runtime";
import type { CommandContext } from "./context";

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
  let database: CliDatabase | undefined;
  try {
    const { downloaded, sync, target, lmStudioVersion } = await scanHost(runtime, async () => {
      database = await openCliDatabase(env);
      const host = await saveHost(database.store, choice);
      return { store: database.store, hostId: host.id, host };
    }).catch((error: unknown) => {
      throw explainRuntimeError(error, choice);
    });
    const { store, host } = target;
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
    const stale = staleModels(await store.listModels({ hostId: host.id }), { lmStudioVersion });
    // Results measured under another LM Studio version or model file than the host has now.
    list(
      "stale",
      stale.map(({ model, reasons }) => `${model.modelKey} (${reasons.map(describeStaleReason).join(", ")})`),
    );
    if (stale.length > 0) io.stdout.write("  re-test them with: lmstrix test --stale\n");

    if (command.failed || command.reset) {
      const cleared = await clearTestResults(
        store,
        host,
        command.reset ? "all" : "failed",
        env.LMSTRIX_LEASE_STALE_MS,
      ).catch((error: unknown) => {
        if (!(error instanceof HostBusyError)) throw error;
        throw new LmstrixError(
          "HOST_BUSY",
          `not clearing results: run #${error.by.runId} is testing on ${host.name} right now (${error.by.holder})`,
          { cause: error },
        );
      });
      io.stdout.write(
        `Cleared the test results of ${plural(cleared, command.reset ? "model" : "failed model")}\n`,
      );
    }
    return EXIT.ok;
  } finally {
    await runtime.close();
    await database?.close();
  }
}
