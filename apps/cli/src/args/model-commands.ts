import { MAX_CONTEXT, SEARCH_STRATEGIES } from "@lmstrix/core";
import { UsageError } from "../errors";
import { defineCommand, hostFlag } from "./declare";
import { DEFAULT_TEMPERATURE, SHOW_MODES, SORT_KEYS } from "./types";
import { decimal, hostOption, integer, modelKeyArgument, noPositionals, oneOf } from "./values";

/** The commands about a host's models: read them, list them, measure them, use one. */

export const scan = defineCommand({
  name: "scan",
  summary: "read a host's downloaded models into the database",
  usage: "scan [--host NAME] [--failed] [--reset]",
  about:
    "Reads the host's downloaded models: new ones are added, changed ones updated, gone ones kept and marked absent.",
  flags: {
    host: hostFlag("host to scan (default: local)"),
    failed: { type: "boolean", help: "also clear the test results of failed models" },
    reset: { type: "boolean", help: "also clear the test results of every model" },
  },
  build({ positionals, flag, text }) {
    const host = hostOption(text("host"));
    noPositionals("scan", positionals);
    return { name: "scan", host, failed: flag("failed"), reset: flag("reset") };
  },
});

export const list = defineCommand({
  name: "list",
  summary: "show the models and their loadable and effective limits",
  usage: "list [--host NAME] [--sort KEY] [--show MODE]",
  flags: {
    host: hostFlag("only this host's models (default: every host)"),
    sort: {
      type: "string",
      label: "--sort KEY",
      help: 'id, ctx (loadable limit), dtx (declared), size; add "d" for descending: idd, ctxd, dtxd, sized',
    },
    show: { type: "string", label: "--show MODE", help: "table (default), id, path, json" },
  },
  build({ positionals, text }) {
    const host = hostOption(text("host"));
    noPositionals("list", positionals);
    return {
      name: "list",
      host,
      sort: oneOf("list", "--sort", text("sort") ?? "id", SORT_KEYS),
      show: oneOf("list", "--show", text("show") ?? "table", SHOW_MODES),
    };
  },
});

export const test = defineCommand({
  name: "test",
  summary: "find the loadable limit of models (one, several, or --all)",
  usage: "test MODEL_KEY... | --all | --stale [options]",
  about: "Finds the largest context each model loads at and still answers a check prompt.",
  column: 21,
  flags: {
    all: { type: "boolean", help: "every LLM of the host not tested yet (embedding models are skipped)" },
    stale: {
      type: "boolean",
      help: "the host's models whose results were measured under another LM Studio version or model\nfile (see lmstrix scan): tested again, and a moved limit is listed by lmstrix changes",
    },
    host: hostFlag("host to test on (default: local)"),
    threshold: {
      type: "string",
      label: "--threshold N",
      help: "do not go above N tokens at first (default 31,744); the fit strategy skips the default on a host\nwhose LM Studio has refused loads for memory with what they need (its guardrail): a refusal loads nothing",
    },
    ctx: { type: "string", label: "--ctx N", help: "test exactly N tokens" },
    precision: {
      type: "string",
      label: "--precision N",
      help: "stop refining when the loadable limit is known to N tokens (default: 1% of the size, at least 256)",
    },
    cooldown: { type: "string", label: "--cooldown SECONDS", help: "pause between models (default 3)" },
    reset: { type: "boolean", help: "forget earlier results of the tested models first" },
    force: { type: "boolean", help: "test even at or above a size that failed before" },
    "keep-loaded": {
      type: "boolean",
      help: "do not unload models that are already loaded (limits will be lower)",
    },
    strategy: {
      type: "string",
      label: "--strategy NAME",
      help: "fit (default: predicts each limit from what the host showed before, then verifies it: far\nfewer loads, same precision) or lmstrix (the Python tool's search)",
    },
    effective: {
      type: "boolean",
      help: "also measure the effective context: the longest prompt that fills the window and is still\nrecalled (16 needles per 1,024 tokens spread over it, at most 256; a grid of sizes, refined, at most 12 filled probes)",
    },
    recall: {
      type: "string",
      label: "--recall F",
      help: "depth-averaged share of the needles a length must recall, above 0 and at most 1 (default\n0.856, RULER's 85.6 %; needs --effective)",
    },
    json: { type: "boolean", help: "print the results as JSON (progress goes to stderr)" },
  },
  footer: "Ctrl-C cancels the run (the model is unloaded); a second Ctrl-C quits at once.",
  build({ positionals, flag, text }) {
    const host = hostOption(text("host"));
    const all = flag("all");
    const stale = flag("stale");
    const modelKeys = positionals.map((key) => modelKeyArgument("test", key));
    if (all && modelKeys.length > 0) throw new UsageError("give model keys or --all, not both", "test");
    if (stale && (all || modelKeys.length > 0 || text("ctx") !== undefined || flag("reset"))) {
      throw new UsageError("--stale picks the models itself: no model keys, --all, --ctx or --reset", "test");
    }
    if (!all && !stale && modelKeys.length === 0)
      throw new UsageError("give one or more MODEL_KEYs, or --all or --stale", "test");
    const [threshold, ctx, precision, cooldown] = [
      text("threshold"),
      text("ctx"),
      text("precision"),
      text("cooldown"),
    ];
    const strategy = text("strategy");
    const effective = flag("effective");
    const recall = text("recall");
    if (recall !== undefined && !effective) throw new UsageError("--recall needs --effective", "test");
    if (effective && ctx !== undefined) {
      throw new UsageError(
        "--effective searches the effective limit; it does not combine with --ctx",
        "test",
      );
    }
    return {
      name: "test",
      host,
      modelKeys: [...new Set(modelKeys)],
      all,
      ...(stale && { stale }),
      threshold:
        threshold === undefined ? undefined : integer("test", "--threshold", threshold, 1, MAX_CONTEXT),
      ctx: ctx === undefined ? undefined : integer("test", "--ctx", ctx, 1, MAX_CONTEXT),
      reset: flag("reset"),
      force: flag("force"),
      precision:
        precision === undefined ? undefined : integer("test", "--precision", precision, 1, 1_000_000),
      cooldownMs:
        cooldown === undefined
          ? undefined
          : Math.round(decimal("test", "--cooldown", cooldown, 0, 600) * 1000),
      keepLoaded: flag("keep-loaded"),
      json: flag("json"),
      strategy: strategy === undefined ? undefined : oneOf("test", "--strategy", strategy, SEARCH_STRATEGIES),
      ...(effective && { effective }),
      ...(recall !== undefined && { recallThreshold: decimal("test", "--recall", recall, 0, 1) }),
    };
  },
});

export const infer = defineCommand({
  name: "infer",
  summary: "answer a prompt with a model loaded at its loadable limit",
  usage: "infer PROMPT --model KEY [--host NAME] [--max-tokens N] [--temperature T] [--ctx N]",
  about: "Loads the model at its loadable limit (declared context if untested), streams the answer, unloads.",
  flags: {
    host: hostFlag("host whose LM Studio answers (default: local)"),
    model: {
      type: "string",
      short: "m",
      label: "--model KEY",
      help: "the model to ask (required; -m for short)",
    },
    "max-tokens": { type: "string", label: "--max-tokens N", help: "stop the answer after N tokens" },
    temperature: { type: "string", label: "--temperature T", help: `default ${DEFAULT_TEMPERATURE}` },
    ctx: {
      type: "string",
      label: "--ctx N",
      help: "load at N tokens instead of the loadable limit",
    },
  },
  build({ positionals, text }) {
    const host = hostOption(text("host"));
    const prompt = positionals.join(" ").trim();
    if (prompt === "") throw new UsageError("infer needs a PROMPT (quote it)", "infer");
    const model = text("model")?.trim();
    if (!model) throw new UsageError("infer needs --model KEY", "infer");
    const [temperature, maxTokens, ctx] = [text("temperature"), text("max-tokens"), text("ctx")];
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
  },
});
