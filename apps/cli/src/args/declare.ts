import type { Command } from "./types";

/** One flag of a command, as `node:util` `parseArgs` takes it, with what its help line says. */
export interface FlagSpec {
  type: "string" | "boolean";
  short?: string;
  /** The flag as its help line shows it, e.g. "--host NAME"; `--<name>` when absent. */
  label?: string;
  /** Its help text; a "\n" continues at the description column. A flag without help is not listed. */
  help?: string;
}

export type Flags = Record<string, FlagSpec>;

/** What a command's `build` gets: the words after the command, and typed reads of its declared flags. */
export interface ParsedLine<Name extends string> {
  positionals: string[];
  /** Whether a boolean flag was given. */
  flag(name: Name): boolean;
  /** A string flag's value as typed, or undefined. */
  text(name: Name): string | undefined;
}

/**
 * A command, declared once: what `parseArgs` accepts, how the parsed line becomes a `Command` (with every
 * check of its values), and the help text, which is generated from this declaration (`usage.ts`).
 */
export interface CommandSpec<F extends Flags = Flags> {
  name: string;
  /** The line in the list of commands of the general help. */
  summary?: string;
  /** After "Usage: lmstrix " in the command's help. */
  usage: string;
  /** Text between the usage line and the list of flags. */
  about?: string;
  /** Rows listed before the flags, for commands whose words are actions (`host add NAME URL`). */
  actions?: readonly { label: string; help: string }[];
  flags: F;
  /** Where the descriptions start; by default three spaces after the longest label. */
  column?: number;
  /** Text after the list of flags. */
  footer?: string;
  build(line: ParsedLine<Extract<keyof F, string>>): Command;
}

/** Declares a command; the flag names `build` reads are checked against its `flags`. */
export function defineCommand<F extends Flags>(spec: CommandSpec<F>): CommandSpec<F> {
  return spec;
}

/** `--host NAME`: most commands take it, each with its own help text. */
export function hostFlag(help: string): FlagSpec {
  return { type: "string", label: "--host NAME", help };
}
