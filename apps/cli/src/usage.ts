import { COMMANDS, findCommand } from "./args/commands";
import type { CommandSpec } from "./args/declare";

/** The help texts, generated from the commands' declarations (`args/*-commands.ts`). */

const INDENT = "  ";
/** Columns between the longest label and its description, unless a command sets its own column. */
const GAP = 3;

function general(): string {
  const listed = COMMANDS.filter((command) => command.summary !== undefined);
  const width = Math.max(...listed.map((command) => command.name.length)) + 2;
  const lines = listed.map((command) => `${INDENT}${command.name.padEnd(width)}${command.summary}`);
  return `Usage: pnpm lmstrix <command> [options]

Finds out how much context each LM Studio model really handles on this machine, and keeps the results.

Commands:
${lines.join("\n")}

Run "pnpm lmstrix help <command>" for a command's options.
Environment: LMSTUDIO_URL (default ws://127.0.0.1:1234, the host "local"), LMSTRIX_DATA_DIR,
LMSTRIX_SNAPSHOT_KEEP (snapshots kept, default 10).
Exit codes: 0 success, 1 a failure occurred (or health found problems), 2 bad usage or bad input.`;
}

/** The rows of a command's help: its actions, then the flags that have a help text. */
function rows(command: CommandSpec): { label: string; help: string }[] {
  const flags = Object.entries(command.flags).flatMap(([name, flag]) =>
    flag.help === undefined ? [] : [{ label: flag.label ?? `--${name}`, help: flag.help }],
  );
  return [...(command.actions ?? []), ...flags];
}

function commandHelp(command: CommandSpec): string {
  const listed = rows(command);
  const column =
    command.column ?? INDENT.length + Math.max(0, ...listed.map((row) => row.label.length)) + GAP;
  const table = listed.map(({ label, help }) => {
    const [first, ...more] = help.split("\n");
    const continued = more.map((line) => `\n${" ".repeat(column)}${line}`).join("");
    return `${`${INDENT}${label}`.padEnd(column)}${first}${continued}`;
  });
  const body = [command.about, ...table, command.footer].filter((part) => part !== undefined);
  return `Usage: lmstrix ${command.usage}${body.length > 0 ? `\n\n${body.join("\n")}` : ""}`;
}

export function usage(topic?: string): string {
  const command = topic === undefined ? undefined : findCommand(topic);
  return command ? commandHelp(command) : general();
}
