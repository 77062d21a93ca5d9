import { z } from "zod";
import { DEFAULT_RECALL_THRESHOLD, type RunMode, type RunOptions, runOptionsSchema } from "./run";

/**
 * What a person asks for when starting a run, from the dashboard, the API or the command line: the models (or
 * all untested ones) and the options. Combinations that would silently ignore part of the request are refused
 * here, once, for every caller.
 */
export const runRequestSchema = z
  .object({
    /** Models to test; empty with `all` means every untested LLM on the host. */
    modelKeys: runOptionsSchema.shape.modelKeys,
    all: z.boolean().default(false),
    // The pause between models has no default here: a request that names none gets the configured one
    // (`planRun`'s `defaults`, LMSTRIX_COOLDOWN_MS: `pnpm demo` shortens it with its time scale).
    options: runOptionsSchema
      .omit({ modelKeys: true })
      .partial()
      .extend({ cooldownMs: runOptionsSchema.shape.cooldownMs.unwrap().optional() })
      .default({}),
  })
  .superRefine((request, ctx) => {
    if (request.all && request.modelKeys.length > 0) {
      ctx.addIssue({
        code: "custom",
        path: ["modelKeys"],
        message: "give either model keys or all, not both",
      });
    }
    if (!request.all && request.modelKeys.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["modelKeys"],
        message: "Choose at least one model, or test all",
      });
    }
    if (request.options.effective && request.options.fixedContext !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["options", "effective"],
        message: "the effective search does not combine with a fixed context",
      });
    }
    // (Options may arrive with their defaults filled in: only a recall share other than the default was asked for.)
    const recall = request.options.recallThreshold;
    if (recall !== undefined && recall !== DEFAULT_RECALL_THRESHOLD && !request.options.effective) {
      ctx.addIssue({
        code: "custom",
        path: ["options", "recallThreshold"],
        message: "recallThreshold needs effective: true",
      });
    }
  });
export type RunRequest = z.infer<typeof runRequestSchema>;
export type RunRequestInput = z.input<typeof runRequestSchema>;

/**
 * The run a request stands for: its mode (all, one fixed size, or a search per model) and its full options,
 * with `defaults` (the process's settings) where the request names none.
 */
export function planRun(
  request: RunRequest,
  defaults: { cooldownMs?: number } = {},
): { mode: RunMode; options: RunOptions } {
  const mode: RunMode = request.all
    ? "all"
    : request.options.fixedContext !== undefined
      ? "fixed-ctx"
      : "single";
  const options = runOptionsSchema.parse({
    ...request.options,
    cooldownMs: request.options.cooldownMs ?? defaults.cooldownMs,
    modelKeys: request.all ? [] : request.modelKeys,
  });
  return { mode, options };
}
