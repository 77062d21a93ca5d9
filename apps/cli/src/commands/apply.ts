import path from "node:path";
import {
  type ApplyLimitResult,
  applyLimit,
  type Host,
  isLmstrixError,
  LmstrixError,
  undoAppliedLimit,
} from "@lmstrix/core";
import { createLmStudioSettings } from "@lmstrix/lmstudio-adapter";
import type { Command } from "../args";
import { cliDataDir, openExistingDatabase } from "../database";
import { EXIT, exitCodeFor } from "../errors";
import { formatCount } from "../format/numbers";
import { chooseHost } from "../hosts";
import type { CommandContext } from "./context";

type ApplyCommand = Extract<Command, { name: "apply" }>;

/** Where `apply` keeps the files it replaced, beside the database's snapshots. */
export function lmstudioBackupDir(dataDir: string): string {
  return path.join(dataDir, "lmstudio-backups");
}

function describeApplied(result: ApplyLimitResult, host: Host): string {
  const { change } = result;
  const from = change.before === null ? "(not set)" : formatCount(change.before);
  const verb = result.dryRun ? "would set" : "set";
  const lines = [
    `${result.modelKey}: ${verb} ${change.key} ${from} → ${formatCount(change.after)} (its ${result.limit} limit)`,
    `  in ${change.file}${change.createsFile ? " (a new file)" : ""}`,
  ];
  if (result.dryRun) lines.push("  nothing was written (--dry-run)");
  else {
    lines.push(`  backup: ${result.change.backup}`);
    lines.push(`  undo with: lmstrix apply --undo ${result.modelKey} --host ${host.name}`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * `lmstrix apply`: each model's measured limit written as LM Studio's default context length (or, with
 * `--undo`, the settings file put back). Models are done one by one; one refused does not stop the others,
 * and the exit code is the first refusal's.
 */
export async function applyCommand(command: ApplyCommand, { io, env }: CommandContext): Promise<number> {
  const database = await openExistingDatabase(env);
  try {
    const choice = await chooseHost(database?.store ?? null, command.host, env);
    if (!database || !("stored" in choice)) {
      throw new LmstrixError(
        "MODEL_NOT_FOUND",
        `no models of ${choice && "unsaved" in choice ? choice.unsaved.name : command.host} are known yet (scan and test them first)`,
      );
    }
    const host = choice.stored;
    const deps = {
      store: database.store,
      settings: createLmStudioSettings({
        backupDir: lmstudioBackupDir(cliDataDir(env)),
        env: { LMSTUDIO_HOME: env.LMSTUDIO_HOME },
      }),
    };
    const results: unknown[] = [];
    let exit: number = EXIT.ok;
    for (const modelKey of command.modelKeys) {
      try {
        if (command.undo) {
          const undone = await undoAppliedLimit(deps, { host, modelKey });
          results.push(undone);
          if (!command.json) {
            io.stdout.write(
              undone.outcome === "restored"
                ? `${modelKey}: restored ${undone.file} as it was before apply\n`
                : `${modelKey}: removed ${undone.file} (there was none before apply)\n`,
            );
          }
        } else {
          const applied = await applyLimit(deps, {
            host,
            modelKey,
            limit: command.limit,
            dryRun: command.dryRun,
          });
          results.push(applied);
          if (!command.json) io.stdout.write(describeApplied(applied, host));
        }
      } catch (error) {
        if (!isLmstrixError(error)) throw error;
        results.push({ modelKey, error: { code: error.code, message: error.message } });
        io.stderr.write(`lmstrix: ${modelKey}: ${error.message}\n`);
        if (exit === EXIT.ok) exit = exitCodeFor(error);
      }
    }
    if (command.json) io.stdout.write(`${JSON.stringify({ host: host.name, results }, null, 2)}\n`);
    return exit;
  } finally {
    await database?.close();
  }
}
