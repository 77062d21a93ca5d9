import { z } from "zod";
import { LmstrixError } from "../errors/lmstrix-error";

/**
 * A whole number read from the environment. One message for every way it can be wrong (not a number, a
 * fraction, out of range), naming the variable and what is allowed, so a typo is fixed at the first try.
 */
export function wholeNumberSetting(name: string, min: number, max: number, fallback: number, unit = "") {
  const allowed = `${name} must be a whole number from ${min} to ${max}${unit}`;
  return z.coerce
    .number({ error: allowed })
    .int({ error: allowed })
    .min(min, { error: allowed })
    .max(max, { error: allowed })
    .default(fallback);
}

/** A duration in milliseconds read from the environment. */
export function millisecondsSetting(name: string, min: number, max: number, fallback: number) {
  return wholeNumberSetting(name, min, max, fallback, " (milliseconds)");
}

/**
 * Parses `source` (a process's environment) with `schema`. Throws an `INVALID_ENVIRONMENT` error that names
 * every bad variable and what it allows, in the order the schema declares them.
 */
export function parseEnvironment<Schema extends z.ZodType>(
  schema: Schema,
  source: Record<string, string | undefined>,
): z.output<Schema> {
  const parsed = schema.safeParse(source);
  if (parsed.success) return parsed.data;
  // A value can fail several checks with the same message (1e308: not safe as an integer, and too big).
  const problems = new Set(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`));
  throw new LmstrixError("INVALID_ENVIRONMENT", `invalid environment: ${[...problems].join("; ")}`);
}
