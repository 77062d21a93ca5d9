import { isSafeSnapshotName, SNAPSHOT_REASONS } from "@lmstrix/db";
import { UsageError } from "../errors";
import { defineCommand, hostFlag, type ParsedLine } from "./declare";
import { type Command, EXPORT_FORMATS } from "./types";
import { hostOption, noPositionals, oneOf } from "./values";

/** The commands about the data: its health, moving it in and out, snapshots of it. */

export const importCommand = defineCommand({
  name: "import",
  summary: "import an lmstrix.json (or older lmsm.json) registry",
  usage: "import FILE [--host NAME] [--dry-run] [--skip-invalid] [--json]",
  about: `Imports an lmstrix registry (lmstrix.json, or the older lmsm.json) into a host's models and history.
The whole file is checked first: a malformed one is refused (exit 2) with the entry and field at fault,
and nothing is written. A snapshot is taken before anything changes; importing the same file twice
changes nothing. Refused while a run is running on the host.`,
  flags: {
    host: hostFlag("host to import into (default: local)"),
    "dry-run": {
      type: "boolean",
      help: "show what would be created, updated (field by field) or left alone; write nothing",
    },
    "skip-invalid": {
      type: "boolean",
      help: "import the valid entries, skipping the invalid ones with a warning each",
    },
    json: { type: "boolean", help: "print the result as JSON" },
  },
  build({ positionals, flag, text }) {
    const host = hostOption(text("host"));
    if (positionals.length !== 1) {
      throw new UsageError(
        positionals.length === 0 ? "import needs a FILE (an lmstrix.json registry)" : "import takes one FILE",
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
  },
});

export const exportCommand = defineCommand({
  name: "export",
  summary: "export the results: lmstrix registry, full JSON history, CSV or the measured limits",
  usage: "export [--format lmstrix|json|csv|limits] [--host NAME] [--out FILE [--force]]",
  flags: {
    format: {
      type: "string",
      label: "--format F",
      help: "lmstrix (default): lmstrix.json for one host, readable by lmstrix and importable again;\njson: the full history (hosts, models, runs, probes, events); csv: one row per model;\nlimits: per host and model key the loadable, effective and comfortable limits, with when\nand under which LM Studio version they were measured (as GET /api/limits answers)",
    },
    host: hostFlag("only this host (needed for lmstrix when several hosts have models)"),
    out: {
      type: "string",
      short: "o",
      label: "--out FILE",
      help: "write to FILE (atomically) instead of stdout; an existing FILE is refused",
    },
    force: { type: "boolean", help: "replace an existing FILE" },
  },
  build({ positionals, flag, text }) {
    const host = hostOption(text("host"));
    noPositionals("export", positionals);
    const out = text("out");
    if (out !== undefined && out.trim() === "") throw new UsageError("--out needs a FILE name", "export");
    if (flag("force") && out === undefined) {
      throw new UsageError("--force only goes with --out FILE (stdout is never a file to protect)", "export");
    }
    return {
      name: "export",
      format: oneOf("export", "--format", text("format") ?? "lmstrix", EXPORT_FORMATS),
      host,
      out,
      force: flag("force"),
    };
  },
});

export const snapshot = defineCommand({
  name: "snapshot",
  summary: "list, take or restore snapshots of the database",
  usage: "snapshot list [--json] | create [--reason R] | restore NAME [--yes]",
  about: `Snapshots are consistent copies of the database in <data dir>/snapshots/. One is taken before every run,
import, restore and repair; the newest LMSTRIX_SNAPSHOT_KEEP (default 10) are kept.`,
  column: 20,
  actions: [
    { label: "list", help: "the snapshots, newest first, with reason, size and age" },
    {
      label: "create",
      help: "take one now (--reason: manual (default), before-run, before-import, before-restore,\nbefore-repair, before-remove)",
    },
    {
      label: "restore NAME",
      help: "put a snapshot's data back (a before-restore snapshot is taken first, to undo it).\nRefused while a run is running. Asks for confirmation on a terminal; elsewhere --yes\nis required. A database too damaged to open is replaced by the snapshot's file (the\ndamaged one is kept in <data dir>/damaged/); stop the dashboard first.",
    },
  ],
  flags: {
    json: { type: "boolean" },
    reason: { type: "string" },
    yes: { type: "boolean", short: "y" },
  },
  build: snapshotAction,
});

function snapshotAction({ positionals, flag, text }: ParsedLine<"json" | "reason" | "yes">): Command {
  const [action, ...args] = positionals;
  const only = (option: "json" | "reason" | "yes", allowed: string) => {
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
