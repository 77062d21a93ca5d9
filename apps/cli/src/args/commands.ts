import { UsageError } from "../errors";
import { apply } from "./apply-command";
import { changes } from "./changes-command";
import { compare } from "./compare-command";
import { exportCommand, importCommand, snapshot } from "./data-commands";
import type { CommandSpec } from "./declare";
import { cancel, health, host, runs } from "./host-run-commands";
import { fit, matrix } from "./matrix-commands";
import { infer, list, scan, test } from "./model-commands";
import { schedule } from "./schedule-command";

const help: CommandSpec = {
  name: "help",
  usage: "help [COMMAND]",
  flags: {},
  build({ positionals }) {
    if (positionals.length > 1) throw new UsageError("help takes at most one command name", "help");
    const [topic] = positionals;
    if (topic !== undefined && !findCommand(topic)) {
      throw unknownCommand(topic);
    }
    return { name: "help", topic };
  },
};

/** Every command, in the order the general help lists them. */
export const COMMANDS = [
  scan,
  list,
  matrix,
  fit,
  compare,
  test,
  infer,
  apply,
  host,
  schedule,
  runs,
  changes,
  cancel,
  health,
  importCommand,
  exportCommand,
  snapshot,
  help,
] as const satisfies readonly CommandSpec[];

export const COMMAND_NAMES = COMMANDS.map((command) => command.name);

/** The error for a command name that is not one, on the command line and after "help". */
export function unknownCommand(name: string): UsageError {
  return new UsageError(`unknown command "${name}" (commands: ${COMMAND_NAMES.join(", ")})`);
}

export function findCommand(name: string): (typeof COMMANDS)[number] | undefined {
  return COMMANDS.find((command) => command.name === name);
}
