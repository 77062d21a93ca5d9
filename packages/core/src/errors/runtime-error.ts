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
  "DISCONNECTED",
  "CANCELLED",
  "UNKNOWN",
]);
export type RuntimeErrorCategory = z.infer<typeof runtimeErrorCategorySchema>;

/** The one error a `ModelRuntime` throws. `message` keeps the host's original text for people to read. */
export class RuntimeError extends Error {
  override readonly name = "RuntimeError";

  constructor(
    readonly category: RuntimeErrorCategory,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** True when the error came from an abort the caller asked for, not from the host. */
  get isCancellation(): boolean {
    return this.category === "CANCELLED";
  }
}

export function isRuntimeError(error: unknown): error is RuntimeError {
  return error instanceof RuntimeError;
}
