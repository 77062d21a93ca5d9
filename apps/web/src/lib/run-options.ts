import {
  DEFAULT_RECALL_THRESHOLD,
  DEFAULT_SEARCH_STRATEGY,
  DEFAULT_THRESHOLD,
  MAX_CONTEXT,
  MIN_CONTEXT,
  type SearchStrategyName,
} from "@lmstrix/core";

/** How each search strategy is named in the options dialog and on the Run page: by its CLI name first. */
export const STRATEGY_LABELS: Record<SearchStrategyName, string> = {
  fit: "fit: fewer loads (predicts, then verifies)",
  lmstrix: "lmstrix: the Python tool's (step up, then bisect)",
};

/** The run options as typed into the dialog: text, so "31,744" is accepted as people write it. */
export interface RunOptionsForm {
  threshold: string;
  fixedContext: string;
  precision: string;
  reset: boolean;
  strategy: SearchStrategyName;
  /** Also measure the effective context (filled-window checks) after the loadable limit. */
  effective: boolean;
  /** Share of the needles a filled check must recall ("0.8"); read only when `effective` is on. */
  recall: string;
}

/** What `run.start` takes as `options`. */
export interface RunOptionsChoice {
  threshold: number;
  fixedContext?: number;
  precision?: number;
  reset: boolean;
  strategy: SearchStrategyName;
  /** Present (true) only when asked for; absent means the run's default (no effective measurement). */
  effective?: true;
  /** Sent with `effective` only: the share 0 < r ≤ 1 of needles a filled check must recall. */
  recallThreshold?: number;
}

export type RunOptionsErrors = Partial<Record<"threshold" | "fixedContext" | "precision" | "recall", string>>;

export const DEFAULT_RUN_OPTIONS_FORM: RunOptionsForm = {
  threshold: DEFAULT_THRESHOLD.toLocaleString("en-US"),
  fixedContext: "",
  precision: "",
  reset: false,
  strategy: DEFAULT_SEARCH_STRATEGY,
  effective: false,
  recall: String(DEFAULT_RECALL_THRESHOLD),
};

const MAX_PRECISION = 1_000_000;

/** A whole number typed with or without separators ("131,072", "131 072", "131_072"); `null` when empty. */
export function parseWholeNumber(text: string): number | null | "invalid" {
  const compact = text.replace(/[\s,_]/g, "");
  if (compact === "") return null;
  if (!/^\d+$/.test(compact)) return "invalid";
  return Number(compact);
}

function contextError(value: number | "invalid", what: string): string | undefined {
  if (value === "invalid") return `${what} must be a whole number of tokens`;
  if (value < MIN_CONTEXT || value > MAX_CONTEXT) {
    return `${what} must be between ${MIN_CONTEXT} and ${MAX_CONTEXT.toLocaleString("en-US")} tokens`;
  }
  return undefined;
}

export function parseRunOptionsForm(
  form: RunOptionsForm,
): { ok: true; options: RunOptionsChoice } | { ok: false; errors: RunOptionsErrors } {
  const errors: RunOptionsErrors = {};
  const threshold = parseWholeNumber(form.threshold);
  if (threshold === null) errors.threshold = "Threshold is required";
  else errors.threshold = contextError(threshold, "Threshold");

  const fixedContext = parseWholeNumber(form.fixedContext);
  if (fixedContext !== null) errors.fixedContext = contextError(fixedContext, "Fixed context");

  const precision = parseWholeNumber(form.precision);
  if (precision === "invalid") errors.precision = "Precision must be a whole number of tokens";
  else if (precision !== null && (precision < 1 || precision > MAX_PRECISION)) {
    errors.precision = `Precision must be between 1 and ${MAX_PRECISION.toLocaleString("en-US")} tokens`;
  }

  const recall = form.effective ? parseRecall(form.recall) : null;
  if (typeof recall === "string") errors.recall = recall;

  const problems = Object.fromEntries(Object.entries(errors).filter(([, message]) => message));
  if (Object.keys(problems).length > 0) return { ok: false, errors: problems };
  const options: RunOptionsChoice = {
    threshold: threshold as number,
    reset: form.reset,
    strategy: form.strategy,
  };
  if (typeof fixedContext === "number") options.fixedContext = fixedContext;
  if (typeof precision === "number") options.precision = precision;
  // A fixed size is one loadable probe: the effective search needs the search for the loadable limit.
  if (form.effective && typeof fixedContext !== "number") {
    options.effective = true;
    if (typeof recall === "number") options.recallThreshold = recall;
  }
  return { ok: true, options };
}

/**
 * The recall threshold as the CLI's `--recall` takes it: a share of the needles, above 0 (a threshold of 0 would
 * pass every filled check) and at most 1. Returns the share, or what is wrong with the text.
 */
export function parseRecall(text: string): number | string {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (trimmed === "") return "Recall threshold is required with the effective context";
  if (!/^\d*\.?\d+$/.test(trimmed) || !(value > 0 && value <= 1)) {
    return `Recall threshold must be a share above 0 and at most 1 (e.g. 0.8 for 80% of the needles); got "${trimmed}"`;
  }
  return value;
}
