import { defineCommand, hostFlag } from "./declare";
import { hostOption, integer, noPositionals, oneOf } from "./values";

export const DEFAULT_CHANGES_LIMIT = 50;

/** `lmstrix changes`: the limit changes re-tests found, newest first. */
export const changes = defineCommand({
  name: "changes",
  summary: "limits a re-test moved: regressions and improvements, with what changed",
  usage: "changes [--host NAME] [--direction regression|improvement] [--limit N] [--json]",
  about: `Each time a re-test (lmstrix test --stale, or any test of a model measured before) moves a limit by
more than the search's precision, the change is kept: "60,000 → 48,000 after LM Studio 0.3.20 → 0.4.21".
Newest first (default ${DEFAULT_CHANGES_LIMIT}). Both measurements stay in the model's probe history.`,
  flags: {
    host: hostFlag("only this host's changes (default: every host)"),
    direction: { type: "string", label: "--direction D", help: "regression or improvement only" },
    limit: {
      type: "string",
      label: "--limit N",
      help: `at most N changes (default ${DEFAULT_CHANGES_LIMIT})`,
    },
    json: { type: "boolean", help: "print the changes as JSON" },
  },
  build({ positionals, flag, text }) {
    noPositionals("changes", positionals);
    const direction = text("direction");
    const limit = text("limit");
    return {
      name: "changes",
      host: hostOption(text("host")),
      direction:
        direction === undefined
          ? undefined
          : oneOf("changes", "--direction", direction, ["regression", "improvement"] as const),
      limit: limit === undefined ? DEFAULT_CHANGES_LIMIT : integer("changes", "--limit", limit, 1, 10_000),
      json: flag("json"),
    };
  },
});
