import { MAX_CONTEXT, MAX_TOKENS_PER_SEC, modelTypeSchema } from "@lmstrix/core";
import { UsageError } from "../errors";
import { defineCommand } from "./declare";
import { decimal, integer, noPositionals, oneOf } from "./values";

/** The commands that look across every host: the matrix, and which model serves a request. */

export const matrix = defineCommand({
  name: "matrix",
  summary: "every model on every host: limits and generation speed side by side",
  usage: "matrix [--json]",
  about:
    "Rows are base models (quantisations of one model together), columns hosts. A cell shows the loadable and\neffective limit and the generation tokens/s at the limit; ⚠ marks a result measured under another LM Studio\nversion or model file.",
  flags: {
    json: { type: "boolean", help: "print the matrix as JSON" },
  },
  build({ positionals, flag }) {
    noPositionals("matrix", positionals);
    return { name: "matrix", json: flag("json") };
  },
});

export const fit = defineCommand({
  name: "fit",
  summary: "which model on which host serves N tokens (at X tokens/s), best first",
  usage: "fit --tokens N [--min-tps X] [--type llm|embedding] [--json]",
  about:
    "By measurement only: the effective limit (the loadable limit where it is not measured; nothing where the\neffective search found none) must hold N tokens, and a passing test at a window of N tokens or more must\nhave generated at least X tokens/s. Best first: current results before stale ones, then the fastest, then\nthe most headroom.",
  flags: {
    tokens: { type: "string", label: "--tokens N", help: "tokens of context the request needs" },
    "min-tps": {
      type: "string",
      label: "--min-tps X",
      help: "generation tokens/s it needs at least (default: any speed, measured or not)",
    },
    type: { type: "string", label: "--type TYPE", help: "llm or embedding (default: both)" },
    json: { type: "boolean", help: "print the results as JSON" },
  },
  build({ positionals, flag, text }) {
    noPositionals("fit", positionals);
    const tokens = text("tokens");
    if (tokens === undefined) throw new UsageError("fit needs --tokens N", "fit");
    const minTps = text("min-tps");
    const type = text("type");
    return {
      name: "fit",
      tokens: integer("fit", "--tokens", tokens, 1, MAX_CONTEXT),
      minTokensPerSec: minTps === undefined ? 0 : decimal("fit", "--min-tps", minTps, 0, MAX_TOKENS_PER_SEC),
      ...(type !== undefined && { type: oneOf("fit", "--type", type, modelTypeSchema.options) }),
      json: flag("json"),
    };
  },
});
