import { z } from "zod";

// See run-lifecycle.ts for the two schemas of each event kind.

export const modelStartedPayload = z.object({ modelKey: z.string(), declared: z.number() });
export const storedModelStartedPayload = modelStartedPayload.partial().required({ modelKey: true });

export const modelFinishedPayload = z.object({
  modelKey: z.string(),
  /** `skipped`: someone skipped the model while it was tested. */
  status: z.enum(["completed", "failed", "skipped"]),
  /** The loadable limit found; null when none. */
  limit: z.number().nullable(),
  declared: z.number(),
  reason: z.string().nullable(),
  errorCategory: z.string().nullable(),
  /** Only runs with the effective check write these: the limit found (null: none), and why. */
  effectiveLimit: z.number().nullable().optional(),
  effectiveReason: z.string().optional(),
  /** Effective runs: the sizes between which the effective limit lies (the limit is `low`). */
  effectiveRange: z.object({ low: z.number(), high: z.number() }).optional(),
  /**
   * Effective runs: true when the search ran its checks and no size recalled the threshold ("none found"),
   * false otherwise (a limit found, or no result: a filled check that failed to run, nothing to fill). Absent
   * on events written before it was kept.
   */
  effectiveNoneFound: z.boolean().optional(),
});
export const storedModelFinishedPayload = modelFinishedPayload
  .partial()
  .required({ modelKey: true, status: true });

/** Someone asked to skip the model in flight (any process; the run's worker acts on it). */
export const modelSkipRequestedPayload = z.object({ modelKey: z.string(), by: z.string() });
export const storedModelSkipRequestedPayload = modelSkipRequestedPayload
  .partial()
  .required({ modelKey: true });

/** A re-test moved a limit by more than the precision (see `LimitChange`): a regression or an improvement. */
export const modelLimitChangedPayload = z.object({
  modelKey: z.string(),
  kind: z.enum(["loadable", "effective"]),
  from: z.number(),
  to: z.number(),
  direction: z.enum(["regression", "improvement"]),
  /** `describeLimitChange`: "60,000 → 48,000 after LM Studio 0.3.20 → 0.4.21". */
  description: z.string(),
});
export const storedModelLimitChangedPayload = modelLimitChangedPayload;
