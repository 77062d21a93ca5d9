import {
  DEFAULT_SEARCH_STRATEGY,
  DEFAULT_THRESHOLD,
  MAX_CONTEXT,
  MIN_CONTEXT,
  type SearchStrategyName,
} from "@lmstrix/core";

/** The run options as typed into the dialog: text, so "31,744" is accepted as people write it. */
export interface RunOptionsForm {
  threshold: string;
  fixedContext: string;
  precision: string;
  reset: boolean;
  strategy: SearchStrategyName;
  /** Also measure the effective context (filled-window checks) after the loadable limit. */
  effective: boolean;
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
}

export type RunOptionsErrors = Partial<Record<"threshold" | "fixedContext" | "precision", string>>;

export const DEFAULT_RUN_OPTIONS_FORM: RunOptionsForm = {
  threshold: DEFAULT_THRESHOLD.toLocaleString("en-US"),
  fixedContext: "",
  precision: "",
  reset: false,
  strategy: DEFAULT_SEARCH_STRATEGY,
  effective: false,
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
  if (form.effective && typeof fixedContext !== "number") options.effective = true;
  return { ok: true, options };
}
