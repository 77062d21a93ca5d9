import { z } from "zod";
import { runtimeErrorCategorySchema } from "../errors/runtime-error";

/** `null` outcome means the probe was in flight when the process stopped. */
export const probeOutcomeSchema = z.enum(["pass", "fail", "error", "cancelled"]);
export type ProbeOutcome = z.infer<typeof probeOutcomeSchema>;

export const probeKindSchema = z.enum(["loadable", "effective"]);
export type ProbeKind = z.infer<typeof probeKindSchema>;

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
