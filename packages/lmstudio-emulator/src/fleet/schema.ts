import { z } from "zod";
import { faultCombinationProblems, faultSchema } from "./fault-schema.js";

export { FLAG_FAULTS, type FleetFault, PARAMETRIC_FAULTS } from "./fault-schema.js";

const positiveInt = z.number().int().min(1);

/** The LM Studio version a fleet reports unless it says otherwise (an LM Studio build of mid-2025). */
export const DEFAULT_LM_STUDIO_VERSION = "0.3.20";

/**
 * Recall that fades with prompt length (issue 16): a needle at depth d of an L-token prompt is recalled with
 * probability `base × (1 − middleDip × sin(π d)) / (1 + exp((L − at50) / width))` (see recall.ts).
 */
const recallSchema = z.strictObject({
  /** Prompt length (tokens) at which recall is half of `base`. */
  at50: z.number().positive(),
  /** Tokens over which recall falls from ~73 % to ~27 % of `base` around `at50`. */
  width: z.number().positive(),
  /** "Lost in the middle": recall at the middle is (1 − middleDip) of recall at the edges. */
  middleDip: z.number().min(0).max(1).default(0),
  /** Recall of a short prompt (the model's own best score). */
  base: z.number().gt(0).max(1).default(1),
});

/** `"0.4.23"` or `"0.4.23+2"` (version and build), as LM Studio shows its version. */
const lmStudioVersionSchema = z
  .string()
  .regex(/^\d+\.\d+\.\d+(\+\d+)?$/, 'lmStudioVersion must look like "0.4.23" or "0.4.23+2" (build after +)');

const quantizationSchema = z.strictObject({
  name: z.string().min(1),
  bits: z.number().int().min(1),
});

/** One downloaded model. Fields mirror LM Studio's ModelInfo plus the emulator's hidden physics. */
export const fleetModelSchema = z
  .strictObject({
    modelKey: z.string().min(1).max(1024),
    displayName: z.string().min(1).optional(),
    type: z.enum(["llm", "embedding"]),
    format: z.enum(["gguf", "safetensors"]),
    publisher: z.string().min(1).optional(),
    path: z.string().min(1),
    sizeBytes: z.number().int().min(0),
    architecture: z.string().min(1).optional(),
    paramsString: z.string().min(1).optional(),
    quantization: quantizationSchema.optional(),
    vision: z.boolean().default(false),
    trainedForToolUse: z.boolean().default(false),
    /** Declared (trained) context length, reported as `maxContextLength`. */
    maxContextLength: positiveInt,
    /** KV-cache bytes per token of loaded context; drives the memory guardrail. */
    kvBytesPerToken: positiveInt,
    /** Largest loaded context at which answers stay correct (default: maxContextLength). */
    effectiveContext: positiveInt.optional(),
    /** Recall that fades with prompt length; without it, recall is perfect up to `effectiveContext`. */
    recall: recallSchema.optional(),
    loadSecondsPerGiB: z.number().min(0).optional(),
    promptTokensPerSecond: z.number().positive().optional(),
    generationTokensPerSecond: z.number().positive().optional(),
    faults: z.array(faultSchema).default([]),
    /** With an LM Studio home: the model file's modification time (ISO 8601); a small file is made there. */
    modifiedAt: z.iso.datetime({ offset: true }).optional(),
  })
  .superRefine((model, ctx) => {
    for (const { index, message } of faultCombinationProblems(model.faults)) {
      ctx.addIssue({ code: "custom", path: ["faults", index], message });
    }
    if (model.recall !== undefined && model.type !== "llm") {
      ctx.addIssue({ code: "custom", path: ["recall"], message: "recall is only for LLMs" });
    }
  })
  .transform((model) => {
    const sizeGiB = model.sizeBytes / 1024 ** 3;
    return {
      ...model,
      displayName: model.displayName ?? model.modelKey,
      publisher: model.publisher ?? publisherOf(model.modelKey),
      effectiveContext: model.effectiveContext ?? model.maxContextLength,
      loadSecondsPerGiB: model.loadSecondsPerGiB ?? 1.5,
      // Rough Apple-silicon-like throughput: bigger models are slower.
      promptTokensPerSecond:
        model.promptTokensPerSecond ?? round1(clamp(6000 / Math.max(sizeGiB, 0.1), 200, 8000)),
      generationTokensPerSecond:
        model.generationTokensPerSecond ?? round1(clamp(180 / Math.max(sizeGiB, 0.1), 4, 200)),
    };
  });

export const fleetSchema = z
  .strictObject({
    /** Memory budget of the simulated machine (RAM + VRAM LM Studio may use), in bytes. */
    memoryBytes: positiveInt,
    /** What the `version` endpoint reports. */
    lmStudioVersion: lmStudioVersionSchema.default(DEFAULT_LM_STUDIO_VERSION),
    models: z.array(fleetModelSchema),
  })
  .superRefine((fleet, ctx) => {
    const seen = new Map<string, number>();
    fleet.models.forEach((model, index) => {
      const first = seen.get(model.modelKey);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["models", index, "modelKey"],
          message: `duplicate modelKey "${model.modelKey}" (first used by models[${first}])`,
        });
      } else {
        seen.set(model.modelKey, index);
      }
    });
  });

/** A fleet as written in a fleet file (optional fields may be missing). */
export type FleetInput = z.input<typeof fleetSchema>;
/** A validated fleet with every default filled in. */
export type Fleet = z.output<typeof fleetSchema>;
export type FleetModelInput = z.input<typeof fleetModelSchema>;
export type FleetModel = z.output<typeof fleetModelSchema>;

export class FleetValidationError extends Error {
  constructor(
    message: string,
    readonly issues: readonly string[],
  ) {
    super(message);
    this.name = "FleetValidationError";
  }
}

/** Validates a fleet; throws FleetValidationError listing every bad field as `models[3].sizeBytes: …`. */
export function parseFleet(input: unknown, source = "fleet"): Fleet {
  const result = fleetSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
  throw new FleetValidationError(`Invalid ${source}:\n  ${issues.join("\n  ")}`, issues);
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(root)";
  return path
    .map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`))
    .join("");
}

function publisherOf(modelKey: string): string {
  const slash = modelKey.indexOf("/");
  return slash > 0 ? modelKey.slice(0, slash) : "lmstudio-community";
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
