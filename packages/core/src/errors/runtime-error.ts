import { z } from "zod";

/**
 * What went wrong when talking to an LM Studio host. The engine decides what to do by category
 * (retry, fail the size, fail the model, stop the run), never by the text of a message.
 */
export const runtimeErrorCategorySchema = z.enum([
  "UNREACHABLE",
  "LOAD_FAILED",
  "INSUFFICIENT_RESOURCES",
  "MEMORY_CACHE_CORRUPTED",
  "MODEL_CRASHED",
  "CONTEXT_OVERFLOW",
  "NOT_FOUND",
  "TIMEOUT",
  /** A load whose progress stopped moving for the stall time (the engine's watchdog gave it up). */
  "STALLED",
  "DISCONNECTED",
  "CANCELLED",
  "UNKNOWN",
]);
export type RuntimeErrorCategory = z.infer<typeof runtimeErrorCategorySchema>;

/**
 * Facts a runtime read out of the host's message, in structured form, so that nothing outside the runtime ever
 * parses LM Studio's texts.
 */
export interface RuntimeErrorDetails {
  /**
   * INSUFFICIENT_RESOURCES: the memory the host said the refused load needs, in bytes (LM Studio's guardrail:
   * "…this model requires approximately X GB of memory…"). Rounded as the host rounds it.
   */
  requiredBytes?: number;
  /**
   * INSUFFICIENT_RESOURCES without a guardrail: the size in bytes of the KV cache buffer the engine failed to
   * allocate for the load's context (llama.cpp: "failed to allocate CUDA0 buffer of size N" … "failed to
   * allocate buffer for kv cache"), as exact as the text states it.
   */
  failedKvCacheBytes?: number;
}

/** The one error a `ModelRuntime` throws. `message` keeps the host's original text for people to read. */
export class RuntimeError extends Error {
  override readonly name = "RuntimeError";
  /** Structured facts from the host's message, when the runtime could read any. */
  readonly details?: RuntimeErrorDetails;

  constructor(
    readonly category: RuntimeErrorCategory,
    message: string,
    options?: { cause?: unknown; details?: RuntimeErrorDetails },
  ) {
    const { details, ...errorOptions } = options ?? {};
    super(message, options ? errorOptions : undefined);
    if (details !== undefined) this.details = details;
  }

  /** True when the error came from an abort the caller asked for, not from the host. */
  get isCancellation(): boolean {
    return this.category === "CANCELLED";
  }
}

export function isRuntimeError(error: unknown): error is RuntimeError {
  return error instanceof RuntimeError;
}
