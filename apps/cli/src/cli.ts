import { isLmstrixError, isRuntimeError, type LmstrixErrorCode } from "@lmstrix/core";
import { type Command, findCommand, parseCommandLine } from "./args";
import { applyCommand } from "./commands/apply";
import { cancelCommand } from "./commands/cancel";
import { changesCommand } from "./commands/changes";
import { compareCommand } from "./commands/compare";
import type { CommandContext } from "./commands/context";
import { exportCommand } from "./commands/export";
import { fitCommand } from "./commands/fit";
import { healthCommand } from "./commands/health";
import { hostCommand } from "./commands/host";
import { importCommand } from "./commands/import";
import { inferCommand } from "./commands/infer";
import { listCommand } from "./commands/list";
import { matrixCommand } from "./commands/matrix";
import { runsCommand } from "./commands/runs";
import { scanCommand } from "./commands/scan";
import { scheduleCommand } from "./commands/schedule";
import { snapshotCommand } from "./commands/snapshot";
import { testCommand } from "./commands/test";
import { readEnv } from "./env";
import { EXIT, exitCodeFor, UsageError } from "./errors";
import type { Io } from "./io";
import { usage } from "./usage";

/** Runs one command line and returns its exit code. `main.ts` wires it to the process; tests call it directly. */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  try {
    // Arguments and environment are checked before any command opens the database.
    const command = parseCommandLine(argv);
    if (command.name === "help") {
      io.stdout.write(`${usage(command.topic)}\n`);
      return EXIT.ok;
    }
    const env = readEnv(io.env);
    return await dispatch(command, { io, env });
  } catch (error) {
    return reportError(error, io, argv);
  }
}

function dispatch(command: Exclude<Command, { name: "help" }>, ctx: CommandContext): Promise<number> {
  switch (command.name) {
    case "scan":
      return scanCommand(command, ctx);
    case "list":
      return listCommand(command, ctx);
    case "test":
      return testCommand(command, ctx);
    case "infer":
      return inferCommand(command, ctx);
    case "apply":
      return applyCommand(command, ctx);
    case "host-add":
    case "host-edit":
    case "host-list":
    case "host-remove":
      return hostCommand(command, ctx);
    case "schedule-add":
    case "schedule-list":
    case "schedule-remove":
      return scheduleCommand(command, ctx);
    case "runs":
      return runsCommand(command, ctx);
    case "changes":
      return changesCommand(command, ctx);
    case "cancel":
      return cancelCommand(command, ctx);
    case "health":
      return healthCommand(command, ctx);
    case "import":
      return importCommand(command, ctx);
    case "export":
      return exportCommand(command, ctx);
    case "snapshot-list":
    case "snapshot-create":
    case "snapshot-restore":
      return snapshotCommand(command, ctx);
    case "matrix":
      return matrixCommand(command, ctx);
    case "fit":
      return fitCommand(command, ctx);
    case "compare":
      return compareCommand(command, ctx);
  }
}

/** Codes whose message points at the usage text: the user typed something to correct. */
const POINTS_AT_USAGE: ReadonlySet<LmstrixErrorCode> = new Set(["USAGE", "INVALID_ENVIRONMENT"]);

function reportError(error: unknown, io: Io, argv: readonly string[]): number {
  if (isLmstrixError(error)) {
    io.stderr.write(
      `lmstrix: ${error.message}${POINTS_AT_USAGE.has(error.code) ? usageHint(error, argv) : ""}\n`,
    );
    return exitCodeFor(error);
  }
  if (isRuntimeError(error)) {
    io.stderr.write(`lmstrix: ${error.category}: ${error.message}\n`);
    return EXIT.failure;
  }
  io.stderr.write(
    `lmstrix: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return EXIT.failure;
}

function usageHint(error: unknown, argv: readonly string[]): string {
  if (argv.length === 0) return `\n\n${usage()}`;
  const asked = (error instanceof UsageError ? error.command : undefined) ?? argv[0];
  // Only a command's own help helps: for an unknown command (or "help" itself), the list of commands.
  const topic = asked && asked !== "help" && findCommand(asked) ? ` ${asked}` : "";
  return `\nRun "pnpm lmstrix help${topic}" for usage.`;
}
