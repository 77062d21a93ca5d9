import { type NeedleOutcome, needleOutcomeSchema } from "@lmstrix/core";
import { z } from "zod";

const needleListSchema = z.array(needleOutcomeSchema);

/** The `needlesJson` column of a probe: its needles as JSON text, or null for a probe without them. */
export function needlesToJson(needles: readonly NeedleOutcome[] | null | undefined): string | null {
  return needles
    ? JSON.stringify(needles.map(({ depth, recalled, isCanary }) => ({ depth, recalled, isCanary })))
    : null;
}

/**
 * The needles of a `needlesJson` column. A value that does not read as a list of needles (a hand-edited
 * database) counts as none: the probe's recall still stands, only its recall map has no cells.
 */
export function needlesFromJson(json: string | null): NeedleOutcome[] | null {
  if (json === null) return null;
  try {
    const parsed = needleListSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
