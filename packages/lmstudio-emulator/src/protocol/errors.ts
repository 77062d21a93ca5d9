import { formatGigabytes } from "../memory-footprint.js";

/**
 * Display data the SDK knows (`errorDisplayDataSchema`). Anything else fails its schema and is
 * silently dropped by the SDK (`failOk`), so only these shapes are ever sent.
 */
export type ErrorDisplayData =
  | { code: "generic.specificModelUnloaded" }
  | {
      code: "generic.noModelMatchingQuery";
      query: ModelQuery;
      loadedModelsSample: string[];
      totalLoadedModels: number;
    }
  | { code: "generic.pathNotFound"; path: string; availablePathsSample: string[]; totalModels: number }
  | {
      code: "generic.identifierNotFound";
      identifier: string;
      loadedModelsSample: string[];
      totalLoadedModels: number;
    }
  | {
      code: "generic.domainMismatch";
      path: string;
      actualDomain: ModelDomain;
      expectedDomain: ModelDomain;
    };

export type ModelDomain = "llm" | "embedding";

export interface ModelQuery {
  domain?: ModelDomain | "imageGen" | "transcription" | "tts";
  identifier?: string;
  path?: string;
  vision?: boolean;
}

/** The wire shape, `serializedLMSExtendedErrorSchema` in the SDK. */
export interface SerializedLmsError {
  title: string;
  cause?: string;
  suggestion?: string;
  errorData?: Record<string, unknown>;
  displayData?: ErrorDisplayData;
  stack?: string;
  rootTitle?: string;
}

/** An error LM Studio would report; handlers throw it and the port serializes it. */
export class LmsError extends Error {
  readonly title: string;
  readonly lmsCause: string | undefined;
  readonly suggestion: string | undefined;
  readonly displayData: ErrorDisplayData | undefined;
  readonly errorData: Record<string, unknown> | undefined;

  constructor(
    title: string,
    options: {
      cause?: string;
      suggestion?: string;
      displayData?: ErrorDisplayData;
      errorData?: Record<string, unknown>;
    } = {},
  ) {
    super(title);
    this.name = "LmsError";
    this.title = title;
    this.lmsCause = options.cause;
    this.suggestion = options.suggestion;
    this.displayData = options.displayData;
    this.errorData = options.errorData;
  }
}

/** Like LM Studio's `serializeError`: title, optional parts, stack, and rootTitle = title. */
export function serializeError(error: unknown): SerializedLmsError {
  if (error instanceof LmsError) {
    return dropUndefined({
      title: error.title,
      cause: error.lmsCause,
      suggestion: error.suggestion,
      errorData: error.errorData,
      displayData: error.displayData,
      stack: error.stack,
      rootTitle: error.title,
    });
  }
  const title = error instanceof Error ? error.message : String(error);
  return dropUndefined({ title, stack: error instanceof Error ? error.stack : undefined, rootTitle: title });
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

// ---------------------------------------------------------------------------------------------
// The messages. Texts are the ones real LM Studio builds print (see LMSTUDIO-PROTOCOL.md).
// ---------------------------------------------------------------------------------------------

export const NO_MODEL_FOUND_TITLE = "No model found that fits the query";

/**
 * No loaded instance matches a query or identifier. The SDK renders this display code as
 * "No loaded model satisfies all requirements specified in the query." and keeps the title in
 * `error.title`.
 */
export function noModelFound(query: ModelQuery, loadedIdentifiers: readonly string[]): LmsError {
  return new LmsError(NO_MODEL_FOUND_TITLE, {
    displayData: {
      code: "generic.noModelMatchingQuery",
      query,
      loadedModelsSample: loadedIdentifiers.slice(0, 10),
      totalLoadedModels: loadedIdentifiers.length,
    },
  });
}

/** An instance reference that no longer exists (unloaded or crashed). */
export function modelUnloaded(): LmsError {
  return new LmsError("Model is unloaded.");
}

export function modelPathNotFound(path: string, availableKeys: readonly string[]): LmsError {
  return new LmsError(`Cannot find a model with path "${path}"`, {
    displayData: {
      code: "generic.pathNotFound",
      path,
      availablePathsSample: availableKeys.slice(0, 10),
      totalModels: availableKeys.length,
    },
  });
}

export function domainMismatch(
  path: string,
  actualDomain: ModelDomain,
  expectedDomain: ModelDomain,
): LmsError {
  return new LmsError("Model has wrong domain", {
    displayData: { code: "generic.domainMismatch", path, actualDomain, expectedDomain },
  });
}

export function identifierInUse(identifier: string): LmsError {
  return new LmsError(`A model with identifier "${identifier}" is already loaded`, {
    suggestion: "Unload it first, or load the model under a different identifier.",
  });
}

export function insufficientResources(requiredBytes: number): LmsError {
  return new LmsError(
    "Model loading was stopped due to insufficient system resources. Under the current settings, " +
      `this model requires approximately ${formatGigabytes(requiredBytes)} GB of memory, and continuing ` +
      "to load it would likely overload your system and cause it to freeze. If you think this is " +
      "incorrect, you can adjust the model loading guardrails in settings.",
  );
}

export const LOAD_FAILED_TITLE = "Failed to load model";
export const LOAD_FAILED_CAUSE =
  "Error loading model. (Exit code: 18446744072635812000). Unknown error. Try a different model and/or config.";

export function loadFailed(contextLength: number): LmsError {
  return new LmsError(LOAD_FAILED_TITLE, { cause: LOAD_FAILED_CAUSE, errorData: { n_ctx: contextLength } });
}

export const LOAD_CANCELLED_TITLE = "Model loading was cancelled";

export function loadCancelled(): LmsError {
  return new LmsError(LOAD_CANCELLED_TITLE);
}

export const MEMORY_CACHE_NULL_TITLE = "Unable to reuse from cache: llama_memory is null";

export function memoryCacheNull(): LmsError {
  return new LmsError(MEMORY_CACHE_NULL_TITLE);
}

export const CRASH_TITLE = "The model has crashed without additional information. (Exit code: 6)";

export function modelCrashed(): LmsError {
  return new LmsError(CRASH_TITLE);
}

export function contextOverflow(promptTokens: number, contextLength: number): LmsError {
  return new LmsError(
    "The number of tokens to keep from the initial prompt is greater than the context length " +
      `(n_keep: ${promptTokens} >= n_ctx: ${contextLength}). Try to load the model with a larger ` +
      "context length, or provide a shorter input.",
  );
}

export function wrongModelType(identifier: string, action: string): LmsError {
  return new LmsError(`Model "${identifier}" cannot be used for ${action}`);
}

export function invalidLoadConfig(key: string, value: unknown, expected: string): LmsError {
  return new LmsError(`Invalid load config: ${key} must be ${expected}`, {
    cause: `Received ${JSON.stringify(value)}`,
  });
}

/**
 * What a load without a guardrail dies of when memory runs out, in the words of the engine that ran it:
 * llama.cpp's CUDA backend for GGUF models (first the weights, then the KV cache are allocated), MLX's Metal
 * backend for safetensors. LM Studio passes the engine's log lines on as the cause of "Failed to load model".
 */
export function outOfMemory(options: {
  format: "gguf" | "safetensors";
  stage: "weights" | "context";
  allocationBytes: number;
  contextLength: number;
}): LmsError {
  const { allocationBytes } = options;
  const mebibytes = (allocationBytes / 1024 ** 2).toFixed(2);
  const cause =
    options.format === "safetensors"
      ? "[METAL] Command buffer execution failed: Insufficient Memory (00000008:kIOGPUCommandBufferCallbackErrorOutOfMemory)"
      : [
          `ggml_backend_cuda_buffer_type_alloc_buffer: allocating ${mebibytes} MiB on device 0: cudaMalloc failed: out of memory`,
          `alloc_tensor_range: failed to allocate CUDA0 buffer of size ${allocationBytes}`,
          options.stage === "weights"
            ? "llama_model_load: error loading model: unable to allocate CUDA0 buffer"
            : "llama_init_from_model: failed to initialize the context: failed to allocate buffer for kv cache",
        ].join("\n");
  return new LmsError(LOAD_FAILED_TITLE, { cause, errorData: { n_ctx: options.contextLength } });
}
