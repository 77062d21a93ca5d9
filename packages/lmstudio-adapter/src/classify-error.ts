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
  const requiredBytes = category === "INSUFFICIENT_RESOURCES" ? readRequiredBytes(haystack) : undefined;
  return new RuntimeError(category, message, {
    cause: error,
    ...(requiredBytes !== undefined && { details: { requiredBytes } }),
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
