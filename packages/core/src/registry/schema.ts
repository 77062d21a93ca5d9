import { z } from "zod";
import { MAX_CONTEXT, MIN_CONTEXT } from "../domain/model";

/** Files above this size are refused before `JSON.parse` (a 57-model registry is about 50 KB). */
export const REGISTRY_MAX_BYTES = 50 * 1024 * 1024;
/** More entries than any LM Studio install has; guards the database against a generated file. */
export const REGISTRY_MAX_ENTRIES = 100_000;

export const REGISTRY_TEST_STATUSES = ["untested", "testing", "completed", "failed"] as const;
export type RegistryTestStatus = (typeof REGISTRY_TEST_STATUSES)[number];

/**
 * Entry fields LMStrix stores in its own columns; an export computes them from the database. Every other
 * field of an entry (`short_id`, `ctx_out`, `context_test_log`, and anything unknown) is kept as it was in
 * `Model.extraJson` and written back by an export.
 */
export const OWNED_ENTRY_FIELDS = [
  "id",
  "path",
  "size_bytes",
  "ctx_in",
  "has_tools",
  "has_vision",
  "tested_max_context",
  "loadable_max_context",
  "last_known_good_context",
  "last_known_bad_context",
  "context_test_status",
  "context_test_date",
  "failed",
  "error_msg",
] as const;

/** Fields of the earlier lmsm.json entries (`LmsMInfo`); a file whose entries carry no other known field is "lmsm". */
export const LMSM_ENTRY_FIELDS = [
  "id",
  "path",
  "size_bytes",
  "ctx_in",
  "ctx_out",
  "has_tools",
  "has_vision",
  "failed",
  "error_msg",
] as const;

/** Key in `Model.extraJson` that remembers an entry's key when it was not the model id (lmstrix sometimes keyed by path). */
export const REGISTRY_KEY_FIELD = "$registryKey";

const nonBlank = (value: string) => value.trim() !== "";
const context = z.number().int().min(MIN_CONTEXT).max(MAX_CONTEXT);
const optionalContext = context.nullable().optional();

/**
 * One entry of `llms`, current lmstrix and older lmsm.json alike: only `path`, `size_bytes` and `ctx_in` are
 * required (an absent `id` is the entry's key, as lmstrix itself reads it). `null` stands for "not known".
 * Cross-field rules (tested ≤ 2 × declared, the date) are checked by `parseRegistry`.
 */
export const registryEntrySchema = z.object({
  id: z.string().max(1024).refine(nonBlank, "must not be empty").optional(),
  short_id: z.string().max(1024).nullable().optional(),
  path: z.string().max(4096).refine(nonBlank, "must not be empty"),
  size_bytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  ctx_in: context,
  /** lmsm.json wrote the loaded context length here, 0 when unknown; not an LMStrix measurement. */
  ctx_out: z.number().int().min(0).max(MAX_CONTEXT).nullable().optional(),
  has_tools: z.boolean().nullable().optional(),
  has_vision: z.boolean().nullable().optional(),
  tested_max_context: optionalContext,
  loadable_max_context: optionalContext,
  last_known_good_context: optionalContext,
  last_known_bad_context: optionalContext,
  context_test_status: z.enum(REGISTRY_TEST_STATUSES).nullable().optional(),
  context_test_log: z.string().max(4096).nullable().optional(),
  context_test_date: z.string().max(64).nullable().optional(),
  failed: z.boolean().nullable().optional(),
  error_msg: z.string().max(100_000).nullable().optional(),
});
export type RegistryEntryValues = z.infer<typeof registryEntrySchema>;
