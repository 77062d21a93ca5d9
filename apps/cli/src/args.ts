import { parseArgs } from "node:util";
import {
  hostNameSchema,
  hostUrlSchema,
  MAX_CONTEXT,
  MAX_MODEL_KEY_LENGTH,
  SEARCH_STRATEGIES,
  type SearchStrategyName,
} from "@lmstrix/core";
import { isSafeSnapshotName, SNAPSHOT_REASONS, type SnapshotReason } from "@lmstrix/db";
import { UsageError } from "./errors";

/**
 * The command line, parsed and validated before anything else happens: bad usage must never open (let alone
 * change) the database. Pure: no I/O, so every rule is unit-tested.
 */

export const SORT_KEYS = ["id", "ctx", "dtx", "size", "idd", "ctxd", "dtxd", "sized"] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export const SHOW_MODES = ["table", "id", "path", "json"] as const;
export type ShowMode = (typeof SHOW_MODES)[number];

export const EXPORT_FORMATS = ["lmstrix", "json", "csv"] as const;
export type ExportFormatName = (typeof EXPORT_FORMATS)[number];

export const COMMAND_NAMES = [
  "scan",
  "list",
  "test",
  "infer",
  "host",
  "runs",
  "cancel",
  "health",
  "import",
  "export",
  "snapshot",
  "help",
] as const;

export type Command =
  | { name: "help"; topic: string | undefined }
  | { name: "scan"; host: string | undefined; failed: boolean; reset: boolean }
  | { name: "list"; host: string | undefined; sort: SortKey; show: ShowMode }
  | TestCommand
  | {
      name: "infer";
      host: string | undefined;
      prompt: string;
      model: string;
      maxTokens: number | undefined;
      temperature: number;
      ctx: number | undefined;
    }
  | { name: "host-add"; hostName: string; url: string }
  | { name: "host-list" }
  | { name: "host-remove"; hostName: string }
  | { name: "runs"; host: string | undefined; limit: number }
  /** With `modelKey`: skip that model (the one in flight) instead of cancelling the whole run. */
  | { name: "cancel"; runId: number; modelKey?: string }
  | { name: "health"; json: boolean; repair: boolean }
  | {
      name: "import";
      /** As typed; resolved from where the user ran the command. */
      file: string;
      host: string | undefined;
      dryRun: boolean;
      skipInvalid: boolean;
      json: boolean;
    }
  | {
      name: "export";
      format: ExportFormatName;
      host: string | undefined;
      /** As typed; stdout when undefined. */
      out: string | undefined;
      force: boolean;
    }
  | { name: "snapshot-list"; json: boolean }
  | { name: "snapshot-create"; reason: SnapshotReason }
  | { name: "snapshot-restore"; snapshot: string; yes: boolean };

export interface TestCommand {
  name: "test";
  host: string | undefined;
  modelKeys: string[];
  all: boolean;
  threshold: number | undefined;
  ctx: number | undefined;
  reset: boolean;
  force: boolean;
  precision: number | undefined;
  cooldownMs: number | undefined;
  keepLoaded: boolean;
  json: boolean;
  /** `--strategy`: how to search for the limit; the run options' default when absent. */
  strategy?: SearchStrategyName;
  /** `--effective`: also measure the effective context (filled-window checks) after the loadable limit. */
  effective?: boolean;
  /** `--recall F`: share 0..1 of the needles a filled check must recall (needs --effective). */
  recallThreshold?: number;
}

/** lmstrix's default temperature for `infer`. */
export const DEFAULT_TEMPERATURE = 0.7;
export const DEFAULT_RUNS_LIMIT = 20;

type OptionSpec = Record<string, { type: "string" | "boolean"; short?: string }>;

const HELP: OptionSpec = { help: { type: "boolean", short: "h" } };
const HOST: OptionSpec = { host: { type: "string" } };

const OPTIONS = {
  scan: { ...HELP, ...HOST, failed: { type: "boolean" }, reset: { type: "boolean" } },
  list: { ...HELP, ...HOST, sort: { type: "string" }, show: { type: "string" } },
  test: {
    ...HELP,
    ...HOST,
    all: { type: "boolean" },
    threshold: { type: "string" },
    ctx: { type: "string" },
    reset: { type: "boolean" },
    force: { type: "boolean" },
    precision: { type: "string" },
    cooldown: { type: "string" },
    "keep-loaded": { type: "boolean" },
    json: { type: "boolean" },
    strategy: { type: "string" },
    effective: { type: "boolean" },
    recall: { type: "string" },
  },
  infer: {
    ...HELP,
    ...HOST,
    model: { type: "string", short: "m" },
    "max-tokens": { type: "string" },
    temperature: { type: "string" },
    ctx: { type: "string" },
  },
  host: { ...HELP },
  runs: { ...HELP, ...HOST, limit: { type: "string" } },
  cancel: { ...HELP, model: { type: "string" } },
  health: { ...HELP, json: { type: "boolean" }, repair: { type: "boolean" } },
  import: {
    ...HELP,
    ...HOST,
    "dry-run": { type: "boolean" },
    "skip-invalid": { type: "boolean" },
    json: { type: "boolean" },
  },
  export: {
    ...HELP,
    ...HOST,
    format: { type: "string" },
    out: { type: "string", short: "o" },
    force: { type: "boolean" },
  },
  snapshot: {
    ...HELP,
    json: { type: "boolean" },
    reason: { type: "string" },
    yes: { type: "boolean", short: "y" },
  },
  help: {},
} satisfies Record<(typeof COMMAND_NAMES)[number], OptionSpec>;

export function parseCommandLine(argv: readonly string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError("no command given");
  if (first === "--help" || first === "-h") return { name: "help", topic: undefined };
  if (first.startsWith("-")) throw new UsageError(`expected a command before ${first}`);
  if (!isCommandName(first)) {
    throw new UsageError(`unknown command "${first}" (commands: ${COMMAND_NAMES.join(", ")})`);
  }
  const { values, positionals } = parse(first, rest);
  if (values.help === true) return { name: "help", topic: first };
  const flag = (name: string) => values[name] === true;
  const text = (name: string) => {
    const value = values[name];
    return typeof value === "string" ? value : undefined;
  };
  const host = hostOption(text("host"));

  switch (first) {
    case "help":
      if (positionals.length > 1) throw new UsageError("help takes at most one command name", "help");
      return { name: "help", topic: positionals[0] };
    case "scan":
      noPositionals("scan", positionals);
      return { name: "scan", host, failed: flag("failed"), reset: flag("reset") };
    case "list":
      noPositionals("list", positionals);
      return {
        name: "list",
        host,
        sort: oneOf("list", "--sort", text("sort") ?? "id", SORT_KEYS),
        show: oneOf("list", "--show", text("show") ?? "table", SHOW_MODES),
      };
    case "test":
      return testCommand(positionals, flag, text, host);
    case "infer": {
      const prompt = positionals.join(" ").trim();
      if (prompt === "") throw new UsageError("infer needs a PROMPT (quote it)", "infer");
      const model = text("model")?.trim();
      if (!model) throw new UsageError("infer needs --model KEY", "infer");
      const temperature = text("temperature");
      const maxTokens = text("max-tokens");
      const ctx = text("ctx");
      return {
        name: "infer",
        host,
        prompt,
        model,
        maxTokens: maxTokens === undefined ? undefined : integer("infer", "--max-tokens", maxTokens, 1, 1e6),
        temperature:
          temperature === undefined
            ? DEFAULT_TEMPERATURE
            : decimal("infer", "--temperature", temperature, 0, 2),
        ctx: ctx === undefined ? undefined : integer("infer", "--ctx", ctx, 1, MAX_CONTEXT),
      };
    }
    case "host":
      return hostCommand(positionals);
    case "runs": {
      noPositionals("runs", positionals);
      const limit = text("limit");
      return {
        name: "runs",
        host,
        limit: limit === undefined ? DEFAULT_RUNS_LIMIT : integer("runs", "--limit", limit, 1, 10_000),
      };
    }
    case "cancel": {
      if (positionals.length !== 1) throw new UsageError("cancel needs exactly one RUN_ID", "cancel");
      const id = positionals[0]!.replace(/^#/, "");
      const runId = integer("cancel", "RUN_ID", id, 1, Number.MAX_SAFE_INTEGER);
      const model = text("model");
      return model === undefined
        ? { name: "cancel", runId }
        : { name: "cancel", runId, modelKey: modelKeyArgument("cancel", model) };
    }
    case "health":
      noPositionals("health", positionals);
      return { name: "health", json: flag("json"), repair: flag("repair") };
    case "import": {
      if (positionals.length !== 1) {
        throw new UsageError(
          positionals.length === 0
            ? "import needs a FILE (an lmstrix.json registry)"
            : "import takes one FILE",
          "import",
        );
      }
      const file = positionals[0]!;
      if (file.trim() === "") throw new UsageError("FILE must not be empty", "import");
      return {
        name: "import",
        file,
        host,
        dryRun: flag("dry-run"),
        skipInvalid: flag("skip-invalid"),
        json: flag("json"),
      };
    }
    case "export": {
      noPositionals("export", positionals);
      const out = text("out");
      if (out !== undefined && out.trim() === "") throw new UsageError("--out needs a FILE name", "export");
      if (flag("force") && out === undefined) {
        throw new UsageError(
          "--force only goes with --out FILE (stdout is never a file to protect)",
          "export",
        );
      }
      return {
        name: "export",
        format: oneOf("export", "--format", text("format") ?? "lmstrix", EXPORT_FORMATS),
        host,
        out,
        force: flag("force"),
      };
    }
    case "snapshot":
      return snapshotCommand(positionals, flag, text);
  }
}

function snapshotCommand(
  positionals: string[],
  flag: (name: string) => boolean,
  text: (name: string) => string | undefined,
): Command {
  const [action, ...args] = positionals;
  const only = (option: string, allowed: string) => {
    if (flag(option) || text(option) !== undefined) {
      throw new UsageError(`--${option} goes with "snapshot ${allowed}" only`, "snapshot");
    }
  };
  switch (action) {
    case "list":
      if (args.length > 0) throw new UsageError("snapshot list takes no arguments", "snapshot");
      only("reason", "create");
      only("yes", "restore");
      return { name: "snapshot-list", json: flag("json") };
    case "create":
      if (args.length > 0)
        throw new UsageError("snapshot create takes no arguments (see --reason)", "snapshot");
      only("json", "list");
      only("yes", "restore");
      return {
        name: "snapshot-create",
        reason: oneOf("snapshot", "--reason", text("reason") ?? "manual", SNAPSHOT_REASONS),
      };
    case "restore": {
      if (args.length !== 1)
        throw new UsageError("snapshot restore needs one NAME (see: lmstrix snapshot list)", "snapshot");
      only("json", "list");
      only("reason", "create");
      const name: string = args[0]!;
      // The database package's rule: a plain `.db` file name from the list, never a path.
      if (!isSafeSnapshotName(name as unknown)) {
        throw new UsageError(
          `invalid snapshot name ${JSON.stringify(name.slice(0, 200))}: give a name from "lmstrix snapshot list" (a file name ending in .db, not a path)`,
          "snapshot",
        );
      }
      return { name: "snapshot-restore", snapshot: name, yes: flag("yes") };
    }
    case undefined:
      throw new UsageError("snapshot needs an action: list, create or restore", "snapshot");
    default:
      throw new UsageError(`unknown snapshot action "${action}" (list, create, restore)`, "snapshot");
  }
}

/** A model key as typed: trimmed, not empty, not absurdly long. */
function modelKeyArgument(command: string, typed: string): string {
  const key = typed.trim();
  if (key === "") throw new UsageError("a model key must not be empty", command);
  if (key.length > MAX_MODEL_KEY_LENGTH) {
    throw new UsageError(
      `a model key must be at most ${MAX_MODEL_KEY_LENGTH} characters; got ${key.length} ("${key.slice(0, 40)}…")`,
      command,
    );
  }
  return key;
}

function testCommand(
  positionals: string[],
  flag: (name: string) => boolean,
  text: (name: string) => string | undefined,
  host: string | undefined,
): TestCommand {
  const all = flag("all");
  const modelKeys = positionals.map((key) => modelKeyArgument("test", key));
  if (all && modelKeys.length > 0) {
    throw new UsageError("give model keys or --all, not both", "test");
  }
  if (!all && modelKeys.length === 0) throw new UsageError("give one or more MODEL_KEYs, or --all", "test");
  const threshold = text("threshold");
  const ctx = text("ctx");
  const precision = text("precision");
  const cooldown = text("cooldown");
  const strategy = text("strategy");
  const effective = flag("effective");
  const recall = text("recall");
  if (recall !== undefined && !effective) throw new UsageError("--recall needs --effective", "test");
  if (effective && ctx !== undefined) {
    throw new UsageError("--effective searches the effective limit; it does not combine with --ctx", "test");
  }
  return {
    name: "test",
    host,
    modelKeys: [...new Set(modelKeys)],
    all,
    threshold:
      threshold === undefined ? undefined : integer("test", "--threshold", threshold, 1, MAX_CONTEXT),
    ctx: ctx === undefined ? undefined : integer("test", "--ctx", ctx, 1, MAX_CONTEXT),
    reset: flag("reset"),
    force: flag("force"),
    precision: precision === undefined ? undefined : integer("test", "--precision", precision, 1, 1_000_000),
    cooldownMs:
      cooldown === undefined ? undefined : Math.round(decimal("test", "--cooldown", cooldown, 0, 600) * 1000),
    keepLoaded: flag("keep-loaded"),
    json: flag("json"),
    strategy: strategy === undefined ? undefined : oneOf("test", "--strategy", strategy, SEARCH_STRATEGIES),
    ...(effective && { effective }),
    ...(recall !== undefined && { recallThreshold: decimal("test", "--recall", recall, 0, 1) }),
  };
}

function hostCommand(positionals: string[]): Command {
  const [action, ...args] = positionals;
  switch (action) {
    case "add": {
      if (args.length !== 2) throw new UsageError("host add needs NAME and URL", "host");
      const name = hostNameSchema.safeParse(args[0]);
      if (!name.success) throw new UsageError(name.error.issues[0]?.message ?? "bad host name", "host");
      const url = hostUrlSchema.safeParse(args[1]);
      if (!url.success) throw new UsageError(url.error.issues[0]?.message ?? "bad host URL", "host");
      return { name: "host-add", hostName: name.data, url: url.data.replace(/\/+$/, "") };
    }
    case "list":
      if (args.length > 0) throw new UsageError("host list takes no arguments", "host");
      return { name: "host-list" };
    case "remove":
      if (args.length !== 1) throw new UsageError("host remove needs NAME", "host");
      return { name: "host-remove", hostName: args[0]! };
    case undefined:
      throw new UsageError("host needs an action: add, list or remove", "host");
    default:
      throw new UsageError(`unknown host action "${action}" (add, list, remove)`, "host");
  }
}

function isCommandName(name: string): name is (typeof COMMAND_NAMES)[number] {
  return (COMMAND_NAMES as readonly string[]).includes(name);
}

function parse(command: (typeof COMMAND_NAMES)[number], args: string[]) {
  const options: OptionSpec = OPTIONS[command];
  try {
    return parseArgs({
      args: joinNegativeValues(args, options),
      options,
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError(describeParseError(error, command), command);
  }
}

/**
 * `--ctx -5`: node's parser refuses a value starting with a dash as "ambiguous"; joined as `--ctx=-5` it
 * reaches the number check, which says what is really wrong.
 */
function joinNegativeValues(args: string[], options: OptionSpec): string[] {
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

function noPositionals(command: string, positionals: string[]): void {
  if (positionals.length > 0) {
    throw new UsageError(`${command} takes no arguments, got "${positionals.join(" ")}"`, command);
  }
}

function hostOption(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const parsed = hostNameSchema.safeParse(value);
  if (!parsed.success) throw new UsageError(`--host: ${parsed.error.issues[0]?.message ?? "bad name"}`);
  return parsed.data;
}

function oneOf<T extends string>(command: string, flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(", ")}; got "${value}"`, command);
}

/** A whole number; "31,744" and "31_744" are accepted, as the tables print them. */
export function integer(command: string, flag: string, text: string, min: number, max: number): number {
  const compact = text.trim().replace(/[,_](?=\d{3}(\D|$))/g, "");
  const value = Number(compact);
  if (!/^\d+$/.test(compact) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(
      `${flag} must be a whole number between ${min.toLocaleString("en-US")} and ${max.toLocaleString("en-US")}; got "${text}"`,
      command,
    );
  }
  return value;
}

export function decimal(command: string, flag: string, text: string, min: number, max: number): number {
  const value = Number(text.trim());
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(text.trim()) || value < min || value > max) {
    throw new UsageError(`${flag} must be a number between ${min} and ${max}; got "${text}"`, command);
  }
  return value;
}
