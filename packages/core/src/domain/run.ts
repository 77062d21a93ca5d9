import { z } from "zod";
import { contextLengthSchema } from "./model";

export const runStatusSchema = z.enum([
  "queued",
  "running",
  "completed",
  "failed",
  "cancelled",
  "interrupted",
]);
export type RunStatus = z.infer<typeof runStatusSchema>;

/** Statuses after which a run never changes again. */
export const FINISHED_RUN_STATUSES: readonly RunStatus[] = ["completed", "failed", "cancelled"];

/** The run is over: `status` is one of `FINISHED_RUN_STATUSES` (any text is accepted, e.g. a raw column). */
export function isFinishedRunStatus(status: string | null | undefined): boolean {
  return FINISHED_RUN_STATUSES.some((finished) => finished === status);
}

export const runModeSchema = z.enum(["single", "all", "fixed-ctx"]);
export type RunMode = z.infer<typeof runModeSchema>;

export const DEFAULT_THRESHOLD = 31_744;
export const DEFAULT_VERIFY_CONTEXT = 2_048;
export const DEFAULT_COOLDOWN_MS = 3_000;
/**
 * The depth-averaged recall at which a length counts as effective: RULER's 85.6 % (its reference model's score
 * at 4K), rather than every needle — real models fade and waver, and a perfect score would miss most lengths.
 */
export const DEFAULT_RECALL_THRESHOLD = 0.856;

/**
 * How a run searches for each model's loadable limit:
 * - `fit`: predicts the limit from what the host already showed (the applied context, earlier results, sibling
 *   quantisations, the memory LM Studio says refused loads need) and verifies it, in a few loads;
 * - `lmstrix`: the Python tool's search (verify small, then min(threshold, declared), step up ×1.1 or bisect;
 *   `--all` in passes that double up to the threshold).
 * Both end the same way: a pass at the limit and a failure within the precision above it (or the declared size).
 */
export const searchStrategySchema = z.enum(["fit", "lmstrix"]);
export type SearchStrategyName = z.infer<typeof searchStrategySchema>;
export const SEARCH_STRATEGIES = searchStrategySchema.options;
export const DEFAULT_SEARCH_STRATEGY: SearchStrategyName = "fit";

/** LM Studio's keys are paths of a few dozen characters; anything this long is a mistake, refused early. */
export const MAX_MODEL_KEY_LENGTH = 512;
export const modelKeySchema = z.string().min(1).max(MAX_MODEL_KEY_LENGTH);

/** What a user chooses when starting a run; defaults follow lmstrix. */
export const runOptionsSchema = z.object({
  modelKeys: z.array(modelKeySchema).max(10_000).default([]),
  threshold: contextLengthSchema.default(DEFAULT_THRESHOLD),
  fixedContext: contextLengthSchema.optional(),
  verifyContext: contextLengthSchema.default(DEFAULT_VERIFY_CONTEXT),
  /** Binary-search precision in tokens; when absent, 1 % of the size or 256 tokens, whichever is larger. */
  precision: z.number().int().min(1).max(1_000_000).optional(),
  reset: z.boolean().default(false),
  force: z.boolean().default(false),
  keepLoaded: z.boolean().default(false),
  cooldownMs: z.number().int().min(0).max(600_000).default(DEFAULT_COOLDOWN_MS),
  strategy: searchStrategySchema.default(DEFAULT_SEARCH_STRATEGY),
  /** After the loadable limit, also measure the effective context (filled-window checks). */
  effective: z.boolean().default(false),
  /** Share of the needles a filled check must recall to pass, above 0 (0 would pass every check); 1 = all. */
  recallThreshold: z
    .number()
    .gt(0, "the recall threshold must be above 0 (0 would pass every filled check)")
    .max(1)
    .default(DEFAULT_RECALL_THRESHOLD),
});
export type RunOptions = z.infer<typeof runOptionsSchema>;
export type RunOptionsInput = z.input<typeof runOptionsSchema>;
