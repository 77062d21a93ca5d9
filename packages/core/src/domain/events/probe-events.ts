import { z } from "zod";
import { probeKindSchema, probeOutcomeSchema } from "../probe";

// See run-lifecycle.ts for the two schemas of each event kind.

export const probeStartedPayload = z.object({
  probeId: z.number(),
  modelKey: z.string(),
  context: z.number(),
  /** The search's phase that asked for this size (the engine's `SearchPhase`); absent for a fixed size. */
  phase: z.string().optional(),
  /** How long a load may sit still before it counts as stalled; 0: no stall rule. */
  stallMs: z.number(),
});
// The Run page follows a probe by its id and passes over an event without one; the CLI only prints its model.
export const storedProbeStartedPayload = probeStartedPayload.partial().required({ modelKey: true });

export const probeLoadProgressPayload = z.object({
  probeId: z.number(),
  modelKey: z.string(),
  /** 0..1 */
  progress: z.number(),
});
export const storedProbeLoadProgressPayload = probeLoadProgressPayload.partial().required({ progress: true });

export const probeFinishedPayload = z.object({
  probeId: z.number(),
  modelKey: z.string(),
  context: z.number(),
  applied: z.number().nullable(),
  /** Null only for a probe the store still has open. */
  outcome: probeOutcomeSchema.nullable(),
  errorCategory: z.string().nullable(),
  errorMessage: z.string().nullable(),
  /** The memory LM Studio said a refused load needs, in bytes (its guardrail), so no reader parses its text. */
  requiredBytes: z.number().nullable().optional(),
  reply: z.string().nullable(),
  loadMs: z.number().nullable(),
  genTokensPerSec: z.number().nullable(),
  // What was asked and what was expected, so the run's log can show them beside the reply.
  kind: probeKindSchema,
  prompt: z.string().nullable(),
  expectedAnswer: z.string().nullable(),
  // Filled-window (effective) probes only.
  recall: z.number().nullable().optional(),
  promptTokens: z.number().nullable().optional(),
  promptTokensSent: z.number().nullable().optional(),
  isTruncated: z.boolean().nullable().optional(),
  promptTokensPerSec: z.number().nullable().optional(),
});
export const storedProbeFinishedPayload = probeFinishedPayload.partial().required({ modelKey: true });
