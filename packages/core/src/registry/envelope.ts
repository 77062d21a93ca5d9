import { z } from "zod";
import { describeValue } from "./describe";
import { RegistryError } from "./errors";

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The registry's envelope, lmstrix.json and lmsm.json alike: `{"llms": {"<key>": {...}}, "path": "<LM Studio
 * root>"}`; other top-level fields are kept. `llms` is checked, not copied (zod's `record` would drop a
 * `__proto__` key that JSON.parse made), and its entries are validated one by one by `parseRegistry`.
 */
const envelopeSchema = z.looseObject(
  {
    llms: z.custom<Record<string, unknown>>(isPlainObject, {
      error: (issue) => `must be an object mapping model keys to entries (got ${describeValue(issue.input)})`,
    }),
    path: z.string({ error: (issue) => `must be a string (got ${describeValue(issue.input)})` }).nullish(),
  },
  {
    error: (issue) =>
      `the registry must be a JSON object like {"llms": {...}, "path": "..."} (got ${describeValue(issue.input)})`,
  },
);

/** The older, hand-made shape: the entries at the top level, not wrapped in `llms`. */
const bareEntriesSchema = z
  .record(z.string(), z.unknown())
  .refine((top) => Object.values(top).some((value) => isPlainObject(value) && "ctx_in" in value));

/** The envelope's parts, or a `RegistryError` with its first problem, in the order top, `llms`, `path`. */
export function readEnvelope(data: unknown): {
  llms: Record<string, unknown>;
  rootPath: string | null;
  extras: Record<string, unknown>;
} {
  const result = envelopeSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = issue.path.length > 0 ? String(issue.path[0]) : "";
    const isMissing = field === "llms" && isPlainObject(data) && !("llms" in data);
    const problem = !isMissing
      ? issue.message
      : bareEntriesSchema.safeParse(data).success
        ? 'is missing: the entries must be wrapped as {"llms": {...}}, the way lmstrix and lmsm.json write them'
        : 'is missing: this is not an lmstrix registry (expected {"llms": {...}, "path": "..."})';
    throw new RegistryError([{ path: field, key: null, field: null, problem }]);
  }
  const { llms, path, ...extras } = result.data;
  return { llms, rootPath: path == null || path.trim() === "" ? null : path, extras };
}
