import { stripVTControlCharacters } from "node:util";
import { isRuntimeError, RuntimeError, type RuntimeErrorCategory } from "@lmstrix/core";

/**
 * The SDK exports no error classes for server failures: it throws plain `Error`s whose message is the
 * server's title (plus suggestion/cause blocks). The only way to tell them apart is the text, so this is
 * the one place that matches on it (LMSTUDIO-PROTOCOL.md, "Errors"). Rules are tried in order: the more
 * specific diagnosis wins ("Failed to load model … insufficient system resources" is a resource problem).
 */
const RULES: readonly { category: RuntimeErrorCategory; pattern: RegExp }[] = [
  // Socket-level failures, as Node and the SDK's WebSocket transport word them.
  {
    category: "UNREACHABLE",
    pattern:
      /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|failed to connect|Unexpected server response/i,
  },
  {
    category: "DISCONNECTED",
    pattern:
      /WebSocket connection closed|WebSocket timed out|WebSocket client transport disposed|ECONNRESET|EPIPE|socket hang up/i,
  },
  // Server-side diagnoses.
  { category: "MEMORY_CACHE_CORRUPTED", pattern: /llama_memory is null|unable to reuse from cache/i },
  // Without a guardrail, the engine's own words: llama.cpp ("cudaMalloc failed: out of memory", "failed to
  // allocate CUDA0 buffer", "unable to allocate Vulkan0 buffer"), MLX/Metal ("[metal::malloc] Attempting to
  // allocate … greater than the maximum allowed buffer size", "Insufficient Memory (…OutOfMemory)").
  {
    category: "INSUFFICIENT_RESOURCES",
    pattern:
      /insufficient system resources|out of memory|OutOfMemory|OutOfDeviceMemory|cudaMalloc failed|(failed|unable) to allocate|maximum allowed buffer size|ggml_metal|\bmetal\b[^\n]*\b(error|fail)/i,
  },
  {
    category: "CONTEXT_OVERFLOW",
    pattern: /n_keep|context the overflows|greater than the context length|exceeds? the context length/i,
  },
  { category: "MODEL_CRASHED", pattern: /has crashed|Model is unloaded|has already been unloaded/i },
  {
    category: "NOT_FOUND",
    pattern:
      /No model found that fits the query|noModelMatchingQuery|No loaded model satisfies|Cannot find a model with (path|identifier)|pathNotFound|identifierNotFound/i,
  },
  {
    category: "LOAD_FAILED",
    pattern: /Failed to load model|Error loading model|exited before becoming healthy/i,
  },
  // Generic wording last, so that a server message mentioning a connection keeps its own category.
  { category: "DISCONNECTED", pattern: /connection (closed|lost|reset)|disconnected/i },
];

/** Turns anything a runtime call threw into a `RuntimeError`, keeping the host's own words as message. */
export function classifyError(error: unknown, fallback: RuntimeErrorCategory = "UNKNOWN"): RuntimeError {
  if (isRuntimeError(error)) return error;
  const message = describeError(error);
  const haystack = [message, ...detailsOf(error)].join("\n");
  if (isAbortError(error)) return new RuntimeError("CANCELLED", message, { cause: error });
  const rule = RULES.find(({ pattern }) => pattern.test(haystack));
  const category = rule?.category ?? fallback;
  const isMemory = category === "INSUFFICIENT_RESOURCES";
  const requiredBytes = isMemory ? readRequiredBytes(haystack) : undefined;
  const failedKvCacheBytes =
    isMemory && requiredBytes === undefined ? readFailedKvCacheBytes(haystack) : undefined;
  const details = {
    ...(requiredBytes !== undefined && { requiredBytes }),
    ...(failedKvCacheBytes !== undefined && { failedKvCacheBytes }),
  };
  return new RuntimeError(category, message, {
    cause: error,
    ...(Object.keys(details).length > 0 && { details }),
  });
}

/**
 * LM Studio's guardrail refusal states what the load would need: "…this model requires approximately 21.37 GB
 * of memory…". The figure is read as bytes / 1024³ with two decimals (how the emulator, modelled on LM Studio,
 * prints it). Were a build to print decimal GB, the numbers would be ~7 % off: the search that uses them treats
 * them as evidence to check, never as a result, and falls back to bisection when they disagree with the loads.
 * Nothing else in LMStrix reads that text; the engine gets the number.
 */
const REQUIRED_MEMORY = /requires approximately (\d+(?:\.\d+)?)\s*GB of memory/i;

function readRequiredBytes(text: string): number | undefined {
  const match = REQUIRED_MEMORY.exec(text);
  if (!match?.[1]) return undefined;
  const gigabytes = Number(match[1]);
  if (!Number.isFinite(gigabytes) || gigabytes <= 0) return undefined;
  return Math.round(gigabytes * 1024 ** 3);
}

/**
 * Without a guardrail a load that runs out of memory fails in the engine, which names the buffer it could not
 * allocate. Only the KV cache's says something about the model's memory per token (it is the context's whole
 * cache, `n_ctx × bytes per token`); the weights' or a compute buffer's do not, so a size is read only when the
 * text says the KV cache failed ("failed to allocate buffer for kv cache", llama.cpp's older
 * "llama_kv_cache_init() failed for self-attention cache"). The size, in the forms llama.cpp's backends print:
 * - any backend: "alloc_tensor_range: failed to allocate CUDA0 buffer of size 4294967296" (Vulkan0, Metal…),
 * - CUDA: "ggml_backend_cuda_buffer_type_alloc_buffer: allocating 4096.00 MiB on device 0: cudaMalloc failed",
 * - Metal: "ggml_backend_metal_buffer_type_alloc_buffer: error: failed to allocate buffer, size = 4096.00 MiB",
 * - Vulkan: "ggml_vulkan: Device memory allocation of size 4294967296 failed."
 * Exact bytes win over the MiB forms (two decimals).
 */
const KV_CACHE_FAILURE =
  /failed to allocate buffer for kv cache|kv_cache_init\(\) failed|self-attention cache/i;
const ALLOCATION_BYTES = [
  /failed to allocate \w+ buffer of size (\d+)/i,
  /memory allocation of size (\d+) failed/i,
] as const;
const ALLOCATION_MEBIBYTES = [
  /allocating (\d+(?:\.\d+)?) MiB on device/i,
  /failed to allocate buffer, size = *(\d+(?:\.\d+)?) MiB/i,
] as const;

function readFailedKvCacheBytes(text: string): number | undefined {
  if (!KV_CACHE_FAILURE.test(text)) return undefined;
  const read = (patterns: readonly RegExp[], unit: number) => {
    for (const pattern of patterns) {
      const figure = Number(pattern.exec(text)?.[1]);
      if (Number.isFinite(figure) && figure > 0) return Math.round(figure * unit);
    }
    return undefined;
  };
  return read(ALLOCATION_BYTES, 1) ?? read(ALLOCATION_MEBIBYTES, 1024 ** 2);
}

/**
 * The error's message without colour codes — the SDK colours its messages with chalk whenever it thinks it
 * writes to a terminal, even with LMS_NO_FANCY_ERRORS set (that only removes the box), and error text is
 * stored and matched without colour. The server's title is prepended when the SDK replaced it.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return stripVTControlCharacters(String(error)).trim();
  const message = stripVTControlCharacters(error.message).trim();
  const title = (error as { title?: unknown }).title;
  if (typeof title === "string" && title !== "" && !message.includes(title)) {
    return message === "" ? title : `${title}: ${message}`;
  }
  return message === "" ? error.name : message;
}

/** Extra text the SDK or Node attach to an error: server `cause`, socket `code`, nested causes. */
function detailsOf(error: unknown): string[] {
  const details: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === "object" && current !== null; depth++) {
    const { code, cause, errors } = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === "string") details.push(code);
    if (Array.isArray(errors)) details.push(...errors.map((inner) => describeError(inner)));
    if (typeof cause === "string") details.push(stripVTControlCharacters(cause));
    else if (cause instanceof Error) details.push(describeError(cause));
    current = cause;
  }
  return details;
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === "AbortError";
}
