import { COMPARE_MAX_MODELS, COMPARE_MIN_MODELS, DEFAULT_COMFORT_THRESHOLDS } from "@lmstrix/core";
import { UsageError } from "../errors";
import { defineCommand, hostFlag } from "./declare";
import type { ComparedModelName } from "./types";
import { decimal, hostOption, modelKeyArgument } from "./values";

/**
 * A model as `compare` names it: `KEY` (on `--host`, else the default host) or `HOST:KEY` for a model on
 * another host. Host names have no ":", so the first one splits them; a key with a ":" is named `HOST:KEY`.
 */
export function comparedModelName(typed: string, host: string | undefined): ComparedModelName {
  const colon = typed.indexOf(":");
  if (colon < 0) return { host, modelKey: modelKeyArgument("compare", typed) };
  const hostName = typed.slice(0, colon).trim();
  if (hostName === "") throw new UsageError(`"${typed}": name the host before the ":" (HOST:KEY)`, "compare");
  return { host: hostOption(hostName), modelKey: modelKeyArgument("compare", typed.slice(colon + 1)) };
}

export const compare = defineCommand({
  name: "compare",
  summary: `${COMPARE_MIN_MODELS}–${COMPARE_MAX_MODELS} models side by side (any hosts): limits and generation speed`,
  usage: "compare MODEL MODEL [MODEL [MODEL]] [--host NAME] [--min-tps X] [--max-ttft S] [--json]",
  about:
    "A column per model, the rows of the dashboard's Compare page: host, quantisation, status, declared,\nloadable, effective and comfortable limit, generation speed at the limit, last tested. A MODEL is a\nmodel key on --host, or HOST:KEY for a model on another host (lmstrix list shows both).",
  flags: {
    host: hostFlag("host of the models named by key alone (default: local)"),
    "min-tps": {
      type: "string",
      label: "--min-tps X",
      help: "comfortable limit: generation tokens/s at least X (default 10)",
    },
    "max-ttft": {
      type: "string",
      label: "--max-ttft S",
      help: "comfortable limit: time to first token at most S seconds (default 30)",
    },
    json: { type: "boolean", help: "print the comparison as JSON" },
  },
  build({ positionals, flag, text }) {
    const host = hostOption(text("host"));
    if (positionals.length < COMPARE_MIN_MODELS || positionals.length > COMPARE_MAX_MODELS) {
      throw new UsageError(
        `compare needs ${COMPARE_MIN_MODELS} to ${COMPARE_MAX_MODELS} models; got ${positionals.length}`,
        "compare",
      );
    }
    const [minTps, maxTtft] = [text("min-tps"), text("max-ttft")];
    return {
      name: "compare",
      models: positionals.map((typed) => comparedModelName(typed, host)),
      thresholds: {
        minGenTokensPerSec:
          minTps === undefined
            ? DEFAULT_COMFORT_THRESHOLDS.minGenTokensPerSec
            : decimal("compare", "--min-tps", minTps, 0, 100_000),
        maxTtftSec:
          maxTtft === undefined
            ? DEFAULT_COMFORT_THRESHOLDS.maxTtftSec
            : decimal("compare", "--max-ttft", maxTtft, 0, 86_400),
      },
      json: flag("json"),
    };
  },
});
