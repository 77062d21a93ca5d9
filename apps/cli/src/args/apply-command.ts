import { LIMIT_KINDS } from "@lmstrix/core";
import { UsageError } from "../errors";
import { defineCommand, hostFlag } from "./declare";
import { hostOption, modelKeyArgument, oneOf } from "./values";

/** `lmstrix apply`: a measured limit becomes LM Studio's default context length for the model. */
export const apply = defineCommand({
  name: "apply",
  summary: "save a measured limit as LM Studio's default context length for models",
  usage:
    "apply MODEL… [--host NAME] [--limit loadable|effective|comfortable] [--dry-run] | apply --undo MODEL…",
  about: `Writes the model's measured limit as llm.load.contextLength in LM Studio's saved load settings
(<LM Studio home>/.internal/user-concrete-model-default-config/<model path>.json), so that LM Studio and
every tool that loads the model without a context length use it. Every other field and key of the file is
kept; the old file is backed up first (<data dir>/lmstudio-backups/<host>/), then the new one is written
to a temporary file and renamed into place. A file that is not JSON or not of LM Studio's shape is refused
and left untouched. Only for a host whose LM Studio home is on this machine: its --lmstudio-home (lmstrix
host add), or for the default host $LMSTUDIO_HOME or ~/.lmstudio when that folder exists.`,
  flags: {
    host: hostFlag("host whose models these are (default: local)"),
    limit: {
      type: "string",
      label: "--limit L",
      help: "which limit: loadable (default), effective (filled-window checks) or comfortable\n(fast enough at the Model page's default thresholds)",
    },
    "dry-run": { type: "boolean", help: "show the change (file, old and new value); write nothing" },
    undo: { type: "boolean", help: "put the settings file back as it was before the last apply" },
    json: { type: "boolean", help: "print the result as JSON" },
  },
  build({ positionals, flag, text }) {
    const host = hostOption(text("host"));
    if (positionals.length === 0) throw new UsageError("apply needs at least one MODEL key", "apply");
    const modelKeys = positionals.map((key) => modelKeyArgument("apply", key));
    const undo = flag("undo");
    if (undo && (text("limit") !== undefined || flag("dry-run"))) {
      throw new UsageError("--undo takes neither --limit nor --dry-run", "apply");
    }
    return {
      name: "apply",
      host,
      modelKeys,
      limit: oneOf("apply", "--limit", text("limit") ?? "loadable", LIMIT_KINDS),
      dryRun: flag("dry-run"),
      undo,
      json: flag("json"),
    };
  },
});
