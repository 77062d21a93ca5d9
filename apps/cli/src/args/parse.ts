import { parseArgs } from "node:util";
import { UsageError } from "../errors";
import { findCommand, unknownCommand } from "./commands";
import type { CommandSpec, Flags } from "./declare";
import type { Command } from "./types";

/**
 * The command line, parsed and validated before anything else happens: bad usage must never open (let alone
 * change) the database. Pure: no I/O, so every rule is unit-tested.
 */
export function parseCommandLine(argv: readonly string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError("no command given");
  if (first === "--help" || first === "-h") return { name: "help", topic: undefined };
  if (first.startsWith("-")) throw new UsageError(`expected a command before ${first}`);
  const command = findCommand(first);
  if (!command) throw unknownCommand(first);
  const { values, positionals } = parse(command, rest);
  if (values.help === true) return { name: "help", topic: command.name };
  return command.build({
    positionals,
    flag: (name) => values[name] === true,
    text: (name) => {
      const value = values[name];
      return typeof value === "string" ? value : undefined;
    },
  });
}

/** `-h`/`--help` on every command but `help` itself. */
function optionsOf(command: CommandSpec): Flags {
  const options: Flags = command.name === "help" ? {} : { help: { type: "boolean", short: "h" } };
  for (const [name, { type, short }] of Object.entries(command.flags)) {
    options[name] = short === undefined ? { type } : { type, short };
  }
  return options;
}

function parse(command: CommandSpec, args: string[]) {
  const options = optionsOf(command);
  try {
    return parseArgs({
      args: joinNegativeValues(args, options),
      options,
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError(describeParseError(error, command.name), command.name);
  }
}

/**
 * `--ctx -5`: node's parser refuses a value starting with a dash as "ambiguous"; joined as `--ctx=-5` it
 * reaches the number check, which says what is really wrong.
 */
function joinNegativeValues(args: string[], options: Flags): string[] {
  const joined: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    const next = args[index + 1];
    const name = arg.startsWith("--") ? arg.slice(2) : undefined;
    if (name && options[name]?.type === "string" && next !== undefined && /^-[\d.]/.test(next)) {
      joined.push(`${arg}=${next}`);
      index += 1;
    } else joined.push(arg);
  }
  return joined;
}

function describeParseError(error: unknown, command: string): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  const option = /'(-[^' ]+)/.exec(message)?.[1];
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return `unknown flag ${option ?? ""} for "${command}"`.trim();
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    if (message.includes("does not take an argument")) return `${option} does not take a value`;
    if (message.includes("argument missing")) return `${option} needs a value`;
  }
  return message.split("\n")[0] ?? message;
}
