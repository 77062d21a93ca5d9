import type { RuntimeErrorCategory } from "../errors/runtime-error";

/**
 * What an error during a probe means for the search:
 * - `size-failed`: this context size does not work; the search goes on below it.
 * - `model-failed`: the model is broken for this run (lmstrix's "llama_memory is null" story); the batch goes on.
 * - `host-lost`: LM Studio went away; wait for it and try the same probe again.
 * - `cancelled`: the user cancelled the run.
 */
export type ErrorVerdict = "size-failed" | "model-failed" | "host-lost" | "cancelled" | "retry";

export function verdictFor(category: RuntimeErrorCategory): ErrorVerdict {
  switch (category) {
    case "LOAD_FAILED":
    case "INSUFFICIENT_RESOURCES":
    case "MODEL_CRASHED":
    case "CONTEXT_OVERFLOW":
    // A load stuck at the same progress hangs again at the same size: no retry (unlike TIMEOUT).
    case "STALLED":
      return "size-failed";
    case "TIMEOUT":
      return "retry";
    case "DISCONNECTED":
    case "UNREACHABLE":
      return "host-lost";
    case "CANCELLED":
      return "cancelled";
    case "MEMORY_CACHE_CORRUPTED":
    case "NOT_FOUND":
    case "UNKNOWN":
      return "model-failed";
  }
}
