import { createHash } from "node:crypto";
import { parseRegistryDate, type RegistryTimeZone } from "./dates";
import { describeIssue, describeJsonError, describeValue } from "./describe";
import { isPlainObject, readEnvelope } from "./envelope";
import { RegistryError, type RegistryIssue } from "./errors";
import { findDuplicateKeys, type JsonPathSegment } from "./json-duplicates";
import { mapRegistryEntry, type RegistryModel } from "./mapping";
import {
  LMSM_ENTRY_FIELDS,
  REGISTRY_MAX_BYTES,
  REGISTRY_MAX_ENTRIES,
  type RegistryEntryValues,
  registryEntrySchema,
} from "./schema";

/**
 * `lmstrix`: the current lmstrix.json. `lmsm`: the earlier lmsm.json (`LmsMInfo` entries: id, path,
 * size_bytes, ctx_in, ctx_out, has_tools, has_vision, failed, error_msg). Both are the same envelope,
 * `{"llms": {"<key>": {...}}, "path": "<LM Studio root>"}`; the format is told from the entries' fields.
 */
export type RegistryFormat = "lmstrix" | "lmsm";

export interface RegistryEntry {
  /** The entry's key in `llms` (lmstrix keyed by model id, sometimes by path). */
  key: string;
  /** The validated fields as the file has them. */
  values: RegistryEntryValues;
  /** The same entry in LMStrix terms. */
  model: RegistryModel;
}

export interface RegistryWarning {
  /** The entry concerned, or `null` for the file. */
  key: string | null;
  message: string;
}

export interface ParsedRegistry {
  format: RegistryFormat;
  /** The registry's `path` (LM Studio root), `null` when absent. */
  rootPath: string | null;
  /** Top-level fields other than `llms` and `path`, kept for an export. */
  extras: Record<string, unknown>;
  entries: RegistryEntry[];
  warnings: RegistryWarning[];
  /** SHA-256 (hex) of the text, so a repeated import of the same file can be recognised. */
  contentHash: string;
  /** File name the text came from, when the caller said. */
  source: string | null;
}

export interface ParseRegistryOptions {
  /** Skip invalid entries with a warning each instead of refusing the whole file. */
  skipInvalid?: boolean;
  /** Recorded as `source` (a file name: only its last segment is kept). */
  source?: string;
  /** How to read dates without a zone; lmstrix wrote local time. */
  zone?: RegistryTimeZone;
}

/**
 * Parses and validates an lmstrix.json or lmsm.json registry.
 *
 * Throws a `RegistryError` naming entry and field (`llms["qwen3-8b"].ctx_in: must be at most 10,000,000
 * (got 99999999999)`) for: text over 50 MB (checked before parsing), text that is not JSON, a top level that
 * is not `{"llms": {...}}`, keys that appear twice in one object (JSON would silently keep the last), and —
 * unless `skipInvalid` — any invalid entry: wrong types, contexts outside 1..10,000,000, negative sizes, empty
 * id or path, tested above 2 × declared, unknown statuses, unreadable dates, two entries with the same id.
 * With `skipInvalid`, such entries are left out with one warning each. Entries lmsm.json wrote for models it
 * could not read (`failed: true`, `ctx_in: 0`) hold nothing to import and are always skipped with a warning.
 * Unknown fields, top-level and per entry, are kept (`extras`, `model.extras`).
 */
export function parseRegistry(text: string, options: ParseRegistryOptions = {}): ParsedRegistry {
  const fail = (path: string, problem: string): never => {
    throw new RegistryError([{ path, key: null, field: null, problem }]);
  };
  if (typeof text !== "string") fail("", "the registry must be given as text");
  const bytes = utf8Length(text, REGISTRY_MAX_BYTES);
  if (bytes > REGISTRY_MAX_BYTES) {
    fail(
      "",
      `the file is larger than ${REGISTRY_MAX_BYTES / 1024 / 1024} MB (${formatMegabytes(bytes)}); a registry is refused above that size`,
    );
  }
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  if (body.trim() === "") fail("", 'the file is empty: expected a JSON object like {"llms": {...}}');
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (error) {
    fail("", `not valid JSON: ${describeJsonError(error, body)}`);
  }

  const { llms: entriesIn, rootPath, extras } = readEnvelope(data);
  const keys = Object.keys(entriesIn);
  if (keys.length > REGISTRY_MAX_ENTRIES) {
    fail(
      "llms",
      `has ${keys.length} entries; more than ${REGISTRY_MAX_ENTRIES.toLocaleString("en-US")} are refused`,
    );
  }

  const fatal: RegistryIssue[] = [];
  const byEntry = new Map<string, RegistryIssue[]>();
  const addEntryIssue = (key: string, field: string | null, problem: string) => {
    const list = byEntry.get(key) ?? [];
    list.push({ path: fieldPath(key, field), key, field, problem });
    byEntry.set(key, list);
  };

  for (const duplicate of findDuplicateKeys(body)) {
    const [first, second, third] = duplicate.objectPath;
    if (duplicate.objectPath.length === 1 && first === "llms") {
      addEntryIssue(
        duplicate.key,
        null,
        "this key appears more than once in the file; JSON keeps only the last, so the entry is ambiguous",
      );
    } else if (first === "llms" && typeof second === "string") {
      const field =
        duplicate.objectPath.length === 2 ? duplicate.key : typeof third === "string" ? third : null;
      addEntryIssue(second, field, `the key "${duplicate.key}" appears more than once in the same object`);
    } else {
      fatal.push({
        path: genericPath(duplicate.objectPath),
        key: null,
        field: null,
        problem: `the key "${duplicate.key}" appears more than once in the same object`,
      });
    }
  }
  if (fatal.length > 0) throw new RegistryError(fatal);

  const warnings: RegistryWarning[] = [];
  const entries: RegistryEntry[] = [];
  const idOwners = new Map<string, string>();
  let onlyLmsmFields = true;
  const lmsmFields = new Set<string>(LMSM_ENTRY_FIELDS);

  for (const key of keys) {
    const raw = entriesIn[key];
    if (byEntry.has(key)) continue;
    if (!isPlainObject(raw)) {
      addEntryIssue(key, null, `must be an object describing one model (got ${describeValue(raw)})`);
      continue;
    }
    const record = raw as Record<string, unknown>;
    if (record.failed === true && record.ctx_in === 0) {
      const reason = typeof record.error_msg === "string" && record.error_msg ? `: ${record.error_msg}` : "";
      warnings.push({
        key,
        message: `${fieldPath(key, null)}: skipped — lmsm could not read this model when it scanned it${reason}; the entry holds no context data`,
      });
      continue;
    }
    const result = registryEntrySchema.safeParse(record);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const field = typeof issue.path[0] === "string" ? issue.path[0] : null;
        addEntryIssue(key, field, describeIssue(issue, field === null ? record : record[field]));
      }
      continue;
    }
    const values = result.data;
    const problems: [string, string][] = [];
    for (const field of ["tested_max_context", "loadable_max_context"] as const) {
      const value = values[field];
      if (value != null && value > 2 * values.ctx_in) {
        problems.push([
          field,
          `must be at most 2 × ctx_in = ${(2 * values.ctx_in).toLocaleString("en-US")} (got ${value})`,
        ]);
      }
    }
    let testDate: Date | null = null;
    if (values.context_test_date != null && values.context_test_date.trim() !== "") {
      testDate = parseRegistryDate(values.context_test_date, options.zone);
      if (testDate === null) {
        problems.push([
          "context_test_date",
          `must be an ISO date-time like 2025-07-26T14:03:11 (got ${JSON.stringify(values.context_test_date)})`,
        ]);
      }
    }
    const modelKey = values.id ?? key;
    const owner = idOwners.get(modelKey);
    if (owner !== undefined) {
      problems.push([
        "id",
        `${JSON.stringify(modelKey)} is already the id of ${fieldPath(owner, null)}; one model cannot have two entries`,
      ]);
    }
    if (problems.length > 0) {
      for (const [field, problem] of problems) addEntryIssue(key, field, problem);
      continue;
    }
    idOwners.set(modelKey, key);
    if (Object.keys(record).some((field) => !lmsmFields.has(field))) onlyLmsmFields = false;
    const mapped = mapRegistryEntry(key, values, testDate, record);
    for (const note of mapped.notes) warnings.push({ key, message: `${fieldPath(key, null)}: ${note}` });
    entries.push({ key, values, model: mapped.model });
  }

  if (byEntry.size > 0) {
    const issues = [...byEntry.values()].flat();
    if (!options.skipInvalid) throw new RegistryError(issues);
    for (const [key, list] of byEntry) {
      warnings.push({
        key,
        message: `${fieldPath(key, null)} skipped: ${list.map((issue) => (issue.field ? `${issue.field}: ${issue.problem}` : issue.problem)).join("; ")}`,
      });
    }
  }
  if (entries.length === 0 && byEntry.size === 0 && keys.length === 0) {
    warnings.push({ key: null, message: "llms: the registry has no entries" });
  }

  return {
    format: onlyLmsmFields && entries.length > 0 ? "lmsm" : "lmstrix",
    rootPath,
    extras,
    entries,
    warnings,
    contentHash: createHash("sha256").update(text).digest("hex"),
    source: options.source ? (options.source.split(/[/\\]/).at(-1) ?? null) : null,
  };
}

/** `llms["key"]` or `llms["key"].field` (`["field"]` when it is not a plain name). */
function fieldPath(key: string, field: string | null): string {
  const entry = `llms[${quoteKey(key)}]`;
  if (field === null) return entry;
  return /^[A-Za-z_$][\w$]*$/.test(field) ? `${entry}.${field}` : `${entry}[${quoteKey(field)}]`;
}

function genericPath(segments: readonly JsonPathSegment[]): string {
  if (segments.length === 0) return "";
  return segments
    .map((segment, index) => {
      if (typeof segment === "number") return `[${segment}]`;
      if (/^[A-Za-z_$][\w$]*$/.test(segment)) return index === 0 ? segment : `.${segment}`;
      return `[${quoteKey(segment)}]`;
    })
    .join("");
}

function quoteKey(key: string): string {
  const shown = key.length > 120 ? `${key.slice(0, 117)}…` : key;
  return JSON.stringify(shown);
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** UTF-8 size of `text` once it may exceed `cap` (a lower bound otherwise; exact counting stops past `cap`). */
function utf8Length(text: string, cap: number): number {
  if (text.length > cap) return text.length;
  if (text.length * 3 <= cap) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
    if (bytes > cap) return bytes;
  }
  return bytes;
}
