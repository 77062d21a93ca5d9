import { hostNameSchema, hostUrlSchema, lmstudioHomeSchema } from "@lmstrix/core";
import { UsageError } from "../errors";
import { defineCommand } from "./declare";
import { DEFAULT_RUNS_LIMIT } from "./types";
import { hostOption, integer, modelKeyArgument, noPositionals } from "./values";

/** The commands about hosts and their runs. */

function hostNameValue(typed: string | undefined): string {
  const name = hostNameSchema.safeParse(typed);
  if (!name.success) throw new UsageError(name.error.issues[0]?.message ?? "bad host name", "host");
  return name.data;
}

function hostUrlValue(typed: string | undefined): string {
  const url = hostUrlSchema.safeParse(typed);
  if (!url.success) throw new UsageError(url.error.issues[0]?.message ?? "bad host URL", "host");
  return url.data.replace(/\/+$/, "");
}

function homeValue(typed: string): string {
  const home = lmstudioHomeSchema.safeParse(typed);
  if (!home.success) throw new UsageError(`--lmstudio-home: ${home.error.issues[0]?.message}`, "host");
  return home.data;
}

export const host = defineCommand({
  name: "host",
  summary: "add, edit, list or remove LM Studio hosts",
  usage:
    "host add NAME URL [--lmstudio-home DIR] | host edit NAME [--url URL] [--rename NEW] [--lmstudio-home DIR|none] | host list | host remove NAME",
  actions: [
    { label: "add NAME URL", help: "register an LM Studio server, e.g. host add gpu-box ws://10.0.0.5:1234" },
    { label: "edit NAME", help: "change a host's URL, name or LM Studio home (its history stays)" },
    { label: "list", help: "registered hosts" },
    { label: "remove NAME", help: "forget a host with its models and run history" },
  ],
  flags: {
    "lmstudio-home": {
      type: "string",
      label: "--lmstudio-home DIR",
      help: "with add or edit: the host's LM Studio home on this machine (where lmstrix apply writes); an existing folder; none (edit): not on this machine",
    },
    url: { type: "string", label: "--url URL", help: "with edit: the host's new URL" },
    rename: { type: "string", label: "--rename NEW", help: "with edit: the host's new name" },
  },
  build({ positionals, text }) {
    const [action, ...args] = positionals;
    const home = text("lmstudio-home");
    if (home !== undefined && action !== "add" && action !== "edit") {
      throw new UsageError('--lmstudio-home goes with "host add" or "host edit" only', "host");
    }
    for (const flag of ["url", "rename"] as const) {
      if (text(flag) !== undefined && action !== "edit") {
        throw new UsageError(`--${flag} goes with "host edit" only`, "host");
      }
    }
    switch (action) {
      case "add": {
        const lmstudioHome = home === undefined ? null : homeValue(home);
        if (args.length !== 2) throw new UsageError("host add needs NAME and URL", "host");
        return {
          name: "host-add",
          hostName: hostNameValue(args[0]),
          url: hostUrlValue(args[1]),
          ...(lmstudioHome ? { lmstudioHome } : {}),
        };
      }
      case "edit": {
        if (args.length !== 1) throw new UsageError("host edit needs NAME", "host");
        const url = text("url");
        const rename = text("rename");
        if (url === undefined && rename === undefined && home === undefined) {
          throw new UsageError("host edit needs what to change: --url, --rename or --lmstudio-home", "host");
        }
        return {
          name: "host-edit",
          hostName: args[0]!,
          patch: {
            ...(url !== undefined && { url: hostUrlValue(url) }),
            ...(rename !== undefined && { name: hostNameValue(rename) }),
            ...(home !== undefined && { lmstudioHome: home.trim() === "none" ? null : homeValue(home) }),
          },
        };
      }
      case "list":
        if (args.length > 0) throw new UsageError("host list takes no arguments", "host");
        return { name: "host-list" };
      case "remove":
        if (args.length !== 1) throw new UsageError("host remove needs NAME", "host");
        return { name: "host-remove", hostName: args[0]! };
      case undefined:
        throw new UsageError("host needs an action: add, list or remove, or edit to change one", "host");
      default:
        throw new UsageError(`unknown host action "${action}" (add, edit, list, remove)`, "host");
    }
  },
});

export const runs = defineCommand({
  name: "runs",
  summary: "show recent test runs",
  usage: "runs [--host NAME] [--limit N]",
  about: `Recent test runs, newest first (default ${DEFAULT_RUNS_LIMIT}).`,
  flags: { host: { type: "string" }, limit: { type: "string" } },
  build({ positionals, text }) {
    const host = hostOption(text("host"));
    noPositionals("runs", positionals);
    const limit = text("limit");
    return {
      name: "runs",
      host,
      limit: limit === undefined ? DEFAULT_RUNS_LIMIT : integer("runs", "--limit", limit, 1, 10_000),
    };
  },
});

export const cancel = defineCommand({
  name: "cancel",
  summary: "cancel a queued or running test run, or skip the model in flight (--model KEY)",
  usage: "cancel RUN_ID [--model KEY]",
  about: "Cancels a queued or running run; a running one aborts its probe and unloads the model.",
  flags: {
    model: {
      type: "string",
      label: "--model KEY",
      help: "skip only this model, the one in flight: its probe is cancelled, the model unloaded and\nleft as its earlier results say, and the run goes on with the next model",
    },
  },
  build({ positionals, text }) {
    if (positionals.length !== 1) throw new UsageError("cancel needs exactly one RUN_ID", "cancel");
    const id = positionals[0]!.replace(/^#/, "");
    const runId = integer("cancel", "RUN_ID", id, 1, Number.MAX_SAFE_INTEGER);
    const model = text("model");
    return model === undefined
      ? { name: "cancel", runId }
      : { name: "cancel", runId, modelKey: modelKeyArgument("cancel", model) };
  },
});

export const health = defineCommand({
  name: "health",
  summary: "check the database (integrity, data, snapshots); --repair fixes what is safe",
  usage: "health [--json] [--repair]",
  about: `Checks the database: integrity and foreign keys, values out of range (contexts outside 1..10,000,000, a
loadable limit above the declared context that no probe proves, last good not below last bad), runs marked
running with no live process, probes without an outcome; lists the snapshots, the database size and its
migration.
Reads only; a damaged file is reported, never opened for writing.`,
  flags: {
    json: { type: "boolean", help: "the full report as JSON" },
    repair: {
      type: "boolean",
      help: "fix what is safe (stale runs, models stuck at testing, open probes), after a snapshot; says\nwhat it changed",
    },
  },
  footer: "Exit codes: 0 healthy, 1 warnings or errors found (also after --repair, if some remain).",
  build({ positionals, flag }) {
    noPositionals("health", positionals);
    return { name: "health", json: flag("json"), repair: flag("repair") };
  },
});
