import { z } from "zod";
import { runtimeErrorCategorySchema } from "../errors/runtime-error";

/** `null` outcome means the probe was in flight when the process stopped. */
export const probeOutcomeSchema = z.enum(["pass", "fail", "error", "cancelled"]);
export type ProbeOutcome = z.infer<typeof probeOutcomeSchema>;

export const probeKindSchema = z.enum(["loadable", "effective"]);
export type ProbeKind = z.infer<typeof probeKindSchema>;

/** One needle of a filled-context check: where it sat (0 = start of the haystack, 1 = end), and whether it was recalled. */
export const needleOutcomeSchema = z.object({
  depth: z.number().min(0).max(1),
  recalled: z.boolean(),
  /** The head and tail canaries, which tell a cut prompt from a forgetful model. */
  isCanary: z.boolean(),
});
export type NeedleOutcome = z.infer<typeof needleOutcomeSchema>;

/** Timings of one probe; every field is optional because a probe can fail before any of them exist. */
export const probeTimingsSchema = z.object({
  loadMs: z.number().int().nonnegative().nullable(),
  timeToFirstTokenMs: z.number().int().nonnegative().nullable(),
  promptTokens: z.number().int().nonnegative().nullable(),
  promptTokensPerSec: z.number().nonnegative().nullable(),
  genTokensPerSec: z.number().nonnegative().nullable(),
});
export type ProbeTimings = z.infer<typeof probeTimingsSchema>;

export const probeResultSchema = probeTimingsSchema.extend({
  outcome: probeOutcomeSchema,
  attempts: z.number().int().nonnegative(),
  contextApplied: z.number().int().nullable(),
  errorCategory: runtimeErrorCategorySchema.nullable(),
  errorMessage: z.string().nullable(),
  prompt: z.string().nullable(),
  reply: z.string().nullable(),
});
export type ProbeResult = z.infer<typeof probeResultSchema>;
