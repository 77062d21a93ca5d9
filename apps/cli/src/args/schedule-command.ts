import { cronProblem, SCHEDULE_ACTIONS } from "@lmstrix/core";
import { UsageError } from "../errors";
import { defineCommand, hostFlag } from "./declare";
import { hostOption, integer, oneOf } from "./values";

export const schedule = defineCommand({
  name: "schedule",
  summary: "add, list or remove a host's schedules (runs the dashboard queues at cron times)",
  usage:
    'schedule add [--host NAME] --cron "0 3 * * *" --action test-all|retest-stale | schedule list [--json] | schedule remove ID',
  about: `A schedule queues a run of its host at each time its cron expression names, read in the local time of the
machine the dashboard runs on (its TZ). The dashboard's worker fires them: a time missed while it was down
fires once when it starts; a host busy with a run then is skipped ("skipped: host busy"), not queued twice.
test-all tests every model again; retest-stale re-tests the models measured under another LM Studio version
or another model file.`,
  actions: [
    { label: "add", help: 'e.g. schedule add --host gpu-box --cron "0 3 * * *" --action retest-stale' },
    { label: "list", help: "every host's schedules, with when each last fired and what it did" },
    { label: "remove ID", help: "delete a schedule" },
  ],
  flags: {
    host: hostFlag("with add: the host (default: local)"),
    cron: {
      type: "string",
      label: "--cron EXPR",
      help: 'with add: five fields, e.g. "0 3 * * *" (03:00 every night)',
    },
    action: { type: "string", label: "--action A", help: "with add: test-all or retest-stale" },
    json: { type: "boolean", help: "with list: print JSON" },
  },
  build({ positionals, flag, text }) {
    const [verb, ...args] = positionals;
    const onlyWithAdd = (["host", "cron", "action"] as const).filter((name) => text(name) !== undefined);
    if (verb !== "add" && onlyWithAdd.length > 0) {
      throw new UsageError(`--${onlyWithAdd[0]} goes with "schedule add" only`, "schedule");
    }
    if (verb !== "list" && flag("json"))
      throw new UsageError('--json goes with "schedule list" only', "schedule");
    switch (verb) {
      case "add": {
        if (args.length > 0) throw new UsageError("schedule add takes flags only", "schedule");
        const cron = text("cron")?.trim();
        if (!cron) throw new UsageError('schedule add needs --cron, e.g. --cron "0 3 * * *"', "schedule");
        const problem = cronProblem(cron);
        if (problem) throw new UsageError(`--${problem}`, "schedule");
        const action = text("action");
        if (action === undefined)
          throw new UsageError("schedule add needs --action test-all|retest-stale", "schedule");
        return {
          name: "schedule-add",
          host: hostOption(text("host")),
          cron,
          action: oneOf("schedule", "--action", action, SCHEDULE_ACTIONS),
        };
      }
      case "list":
        if (args.length > 0) throw new UsageError("schedule list takes no arguments", "schedule");
        return { name: "schedule-list", json: flag("json") };
      case "remove":
        if (args.length !== 1) throw new UsageError("schedule remove needs one ID", "schedule");
        return {
          name: "schedule-remove",
          id: integer("schedule", "ID", args[0]!.replace(/^#/, ""), 1, Number.MAX_SAFE_INTEGER),
        };
      case undefined:
        throw new UsageError("schedule needs an action: add, list or remove", "schedule");
      default:
        throw new UsageError(`unknown schedule action "${verb}" (add, list, remove)`, "schedule");
    }
  },
});
