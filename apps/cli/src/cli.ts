import { isRuntimeError } from "@lmstrix/core";
import { type Command, parseCommandLine } from "./args";
import { cancelCommand } from "./commands/cancel";
import type { CommandContext } from "./commands/context";
import { exportCommand } from "./commands/export";
import { healthCommand } from "./commands/health";
import { hostCommand } from "./commands/host";
import { importCommand } from "./commands/import";
import { inferCommand } from "./commands/infer";
import { listCommand } from "./commands/list";
import { runsCommand } from "./commands/runs";
import { scanCommand } from "./commands/scan";
import { snapshotCommand } from "./commands/snapshot";
import { testCommand } from "./commands/test";
import { readEnv } from "./env";
import { CliFailure, EXIT, InputError, UsageError } from "./errors";
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
    case "host-add":
    case "host-list":
    case "host-remove":
      return hostCommand(command, ctx);
    case "runs":
      return runsCommand(command, ctx);
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
  }
}

function reportError(error: unknown, io: Io, argv: readonly string[]): number {
  if (error instanceof UsageError) {
    const topic = error.command ?? argv[0];
    const hint =
      argv.length === 0
        ? `\n\n${usage()}`
        : `\nRun "pnpm lmstrix help${topic && !topic.startsWith("-") ? ` ${topic}` : ""}" for usage.`;
    io.stderr.write(`lmstrix: ${error.message}${hint}\n`);
    return EXIT.usage;
  }
  if (error instanceof InputError) {
    io.stderr.write(`lmstrix: ${error.message}\n`);
    return EXIT.usage;
  }
  if (error instanceof CliFailure) {
    io.stderr.write(`lmstrix: ${error.message}\n`);
    return EXIT.failure;
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
