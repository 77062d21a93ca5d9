import { z } from "zod";
import { recallPercent } from "../util/wording";

/** Context sizes LMStrix accepts anywhere: lmstrix's own validation bounds. */
export const MIN_CONTEXT = 1;
export const MAX_CONTEXT = 10_000_000;

export const contextLengthSchema = z
  .number()
  .int("context length must be a whole number")
  .min(MIN_CONTEXT, `context length must be at least ${MIN_CONTEXT}`)
  .max(MAX_CONTEXT, `context length must be at most ${MAX_CONTEXT.toLocaleString("en-US")}`);

export const modelTypeSchema = z.enum(["llm", "embedding"]);
export type ModelType = z.infer<typeof modelTypeSchema>;

export const testStatusSchema = z.enum(["untested", "testing", "completed", "failed"]);
export type TestStatus = z.infer<typeof testStatusSchema>;

/** A model as a host reports it (`listDownloadedModels`), before LMStrix adds any measurement. */
export const downloadedModelSchema = z.object({
  modelKey: z.string().min(1),
  displayName: z.string(),
  type: modelTypeSchema,
  format: z.string().nullable(),
  publisher: z.string().nullable(),
  path: z.string().min(1),
  sizeBytes: z.number().int().nonnegative(),
  architecture: z.string().nullable(),
  quantization: z.string().nullable(),
  params: z.string().nullable(),
  declaredContext: contextLengthSchema,
  vision: z.boolean(),
  toolUse: z.boolean(),
});
export type DownloadedModel = z.infer<typeof downloadedModelSchema>;

/** A model that is loaded on a host right now. */
export const loadedModelSchema = z.object({
  modelKey: z.string(),
  identifier: z.string(),
  contextLength: z.number().int().positive(),
});
export type LoadedModel = z.infer<typeof loadedModelSchema>;

/** A model row as LMStrix keeps it: what the host reports plus the current test summary. */
export const modelSummarySchema = downloadedModelSchema.extend({
  id: z.number().int(),
  hostId: z.number().int(),
  isPresent: z.boolean(),
  firstSeenAt: z.date(),
  lastSeenAt: z.date(),
  testStatus: testStatusSchema,
  loadableLimit: z.number().int().nullable(),
  effectiveLimit: z.number().int().nullable(),
  /**
   * The recall threshold the standing effective search read at, whether it found a limit or none (see
   * `noEffectiveLimitFound`); null: no effective search stands.
   */
  effectiveThreshold: z.number().nullable(),
  lastGoodContext: z.number().int().nullable(),
  lastBadContext: z.number().int().nullable(),
  lastTestedAt: z.date().nullable(),
  errorCategory: z.string().nullable(),
  errorMessage: z.string().nullable(),
  /** The model file's modification time where LMStrix can read it; null: not known. */
  modifiedAt: z.date().nullable(),
  /** What the current limits were measured under (see `domain/staleness.ts`); null: not known. */
  measuredLmStudioVersion: z.string().nullable(),
  measuredSizeBytes: z.number().nullable(),
  measuredModifiedAt: z.date().nullable(),
});
export type ModelSummary = z.infer<typeof modelSummarySchema>;

/**
 * The standing effective search found no size that recalled its threshold of the needles: a model that loads
 * but does not recall from a full window, which no request should be served by (`servedLimit`). Not the same
 * as "not measured" (no effective search stands: `effectiveThreshold` is null).
 */
export function noEffectiveLimitFound<
  M extends Pick<ModelSummary, "effectiveLimit" | "effectiveThreshold" | "loadableLimit">,
>(model: M): model is M & { effectiveLimit: null; effectiveThreshold: number; loadableLimit: number } {
  return model.effectiveLimit === null && model.effectiveThreshold !== null && model.loadableLimit !== null;
}

/** Why a model has no effective limit, in the words the CLI and the dashboard both use. */
export function noEffectiveLimitReason(threshold: number): string {
  return `no size recalled ${recallPercent(threshold)} of its needles`;
}

/**
 * What stands where a model's effective limit is missing: "none found: no size recalled 85.6% of its
 * needles", or "not measured" when no effective search stands; null when it has one.
 */
export function missingEffectiveLimit(
  model: Pick<ModelSummary, "effectiveLimit" | "effectiveThreshold" | "loadableLimit">,
): string | null {
  if (model.effectiveLimit !== null) return null;
  if (!noEffectiveLimitFound(model)) return "not measured";
  return `none found: ${noEffectiveLimitReason(model.effectiveThreshold)}`;
}
