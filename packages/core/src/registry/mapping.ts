import type { ModelType, TestStatus } from "../domain/model";
import { tokens } from "../util/wording";
import { formatRegistryDate, type RegistryTimeZone } from "./dates";
import { OWNED_ENTRY_FIELDS, REGISTRY_KEY_FIELD, type RegistryEntryValues } from "./schema";

/**
 * A registry entry in LMStrix terms: what a `Model` row holds. Facts a registry does not carry (type,
 * format, publisher, quantization, parameter count) are guessed from the id and path; the next scan of the
 * host replaces them with what LM Studio reports.
 */
export interface RegistryModel {
  modelKey: string;
  displayName: string;
  type: ModelType;
  format: string | null;
  publisher: string | null;
  path: string;
  sizeBytes: number;
  quantization: string | null;
  params: string | null;
  declaredContext: number;
  vision: boolean;
  toolUse: boolean;
  testStatus: TestStatus;
  loadableLimit: number | null;
  lastGoodContext: number | null;
  lastBadContext: number | null;
  lastTestedAt: Date | null;
  errorCategory: string | null;
  errorMessage: string | null;
  /** Everything LMStrix has no column for, to go to `Model.extraJson` and back out in an export. */
  extras: Record<string, unknown>;
}

/** The category given to an imported failure: lmstrix kept only a message, no machine-readable reason. */
export const IMPORTED_ERROR_CATEGORY = "UNKNOWN";

export interface MappedEntry {
  model: RegistryModel;
  /** Explanations worth showing (a `testing` status resolved, an inconsistent entry). */
  notes: string[];
}

/**
 * Maps a validated entry. Declared = `ctx_in`; loadable limit = `loadable_max_context ?? tested_max_context`;
 * status: `untested`, `completed` and `failed` as they are (`completed` without any tested size becomes
 * `failed`/`untested`), no status (lmsm.json) from `failed` and the limit, and `testing` — lmstrix's test
 * never finished: a crash, or its bug of leaving the status after a step-up failure — becomes what the stored
 * results say, like LMStrix settles its own interrupted models: `completed` when a tested size exists, else
 * `failed` when an error was recorded, else `untested`.
 */
export function mapRegistryEntry(
  key: string,
  values: RegistryEntryValues,
  testDate: Date | null,
  raw: Record<string, unknown>,
): MappedEntry {
  const notes: string[] = [];
  const modelKey = values.id ?? key;
  const loadableLimit = values.loadable_max_context ?? values.tested_max_context ?? null;
  const errorMessage = values.error_msg?.trim() ? values.error_msg : null;
  const hasError = values.failed === true || errorMessage !== null;
  const settled: TestStatus = loadableLimit !== null ? "completed" : hasError ? "failed" : "untested";
  let testStatus: TestStatus;
  switch (values.context_test_status ?? null) {
    case null:
      testStatus = values.failed === true ? "failed" : settled;
      break;
    case "untested":
      testStatus = "untested";
      break;
    case "failed":
      testStatus = "failed";
      break;
    case "completed":
      testStatus = loadableLimit !== null ? "completed" : settled;
      if (testStatus !== "completed") {
        notes.push(`status "completed" without any tested context size: imported as "${testStatus}"`);
      }
      break;
    case "testing":
      testStatus = settled;
      notes.push(
        `status "testing" means lmstrix's test never finished (a crash, or its step-up bug); imported as "${settled}" ${
          settled === "completed"
            ? `because it has a loadable limit (tested_max_context) of ${tokens(loadableLimit!)}`
            : settled === "failed"
              ? "because lmstrix recorded an error"
              : "because no loadable limit (tested_max_context) was recorded"
        }`,
      );
      break;
  }
  const good = values.last_known_good_context ?? null;
  const bad = values.last_known_bad_context ?? null;
  if (good !== null && bad !== null && good >= bad) {
    notes.push(`last known good context ${good} is not below last known bad context ${bad}`);
  }
  const extras: Record<string, unknown> = {};
  const owned = new Set<string>(OWNED_ENTRY_FIELDS);
  for (const [field, value] of Object.entries(raw)) {
    if (!owned.has(field)) extras[field] = value;
  }
  if (key !== modelKey) extras[REGISTRY_KEY_FIELD] = key;
  const shortId = typeof values.short_id === "string" && values.short_id.trim() ? values.short_id : null;
  const model: RegistryModel = {
    modelKey,
    displayName: shortId ?? lastSegment(modelKey),
    type: guessModelType(modelKey, values.path),
    format: guessFormat(values.path),
    publisher: guessPublisher(values.path),
    path: values.path,
    sizeBytes: values.size_bytes,
    quantization: guessQuantization(modelKey, values.path),
    params: guessParams(modelKey),
    declaredContext: values.ctx_in,
    vision: values.has_vision ?? false,
    toolUse: values.has_tools ?? false,
    testStatus,
    loadableLimit,
    lastGoodContext: good,
    lastBadContext: bad,
    lastTestedAt: testDate,
    errorCategory: testStatus === "failed" ? IMPORTED_ERROR_CATEGORY : null,
    errorMessage,
    extras,
  };
  return { model, notes };
}

function lastSegment(value: string): string {
  const parts = value.split(/[/\\]/).filter(Boolean);
  return parts.at(-1) ?? value;
}

/** lmstrix told embedding models apart by their id; so does an import (a scan then sets the real type). */
function guessModelType(modelKey: string, path: string): ModelType {
  return /embed|(^|[^a-z])bge([^a-z]|$)/i.test(`${modelKey} ${lastSegment(path)}`) ? "embedding" : "llm";
}

function guessFormat(path: string): string | null {
  if (/\.gguf$/i.test(path)) return "gguf";
  if (/mlx/i.test(path)) return "safetensors";
  return null;
}

/** `publisher/repo/file.gguf`, relative or under `…/models/`. */
function guessPublisher(path: string): string | null {
  const parts = path.split(/[/\\]/).filter(Boolean);
  const models = parts.lastIndexOf("models");
  const relative = models >= 0 ? parts.slice(models + 1) : path.startsWith("/") ? [] : parts;
  return relative.length >= 3 ? relative[0]! : null;
}

function guessQuantization(modelKey: string, path: string): string | null {
  const suffix = /@([\w.-]+)$/.exec(modelKey)?.[1];
  if (suffix) return suffix.toUpperCase();
  const file = lastSegment(path).replace(/\.gguf$/i, "");
  const match = /(?:^|[-_.])(I?Q\d(?:_[A-Z0-9]+)*|BF16|F16|F32)$/i.exec(file);
  return match ? match[1]!.toUpperCase() : null;
}

function guessParams(modelKey: string): string | null {
  const match = /(?:^|[^a-z0-9.])(\d+(?:\.\d+)?)b(?![a-z0-9])/i.exec(modelKey.replace(/@.*$/, ""));
  return match ? `${match[1]}B` : null;
}

/** What an export needs of a model (a `ModelSummary` has all of it) plus its `extraJson`, parsed. */
export interface RegistryExportModel {
  modelKey: string;
  path: string;
  sizeBytes: number;
  declaredContext: number;
  vision: boolean;
  toolUse: boolean;
  testStatus: TestStatus;
  loadableLimit: number | null;
  lastGoodContext: number | null;
  lastBadContext: number | null;
  lastTestedAt: Date | null;
  errorMessage: string | null;
  extras?: Record<string, unknown> | null;
}

export interface ToRegistryOptions {
  /** LM Studio root written as `path`; omitted when unknown (lmstrix then keeps its own). */
  rootPath?: string | null;
  /** Top-level fields of the imported file that LMStrix does not know, written back as they were. */
  extras?: Record<string, unknown> | null;
  zone?: RegistryTimeZone;
}

/** The registry object: `llms` first, then `path`, then preserved top-level fields. */
export interface LmstrixRegistry {
  llms: Record<string, Record<string, unknown>>;
  path?: string;
  [field: string]: unknown;
}

/**
 * Builds a registry lmstrix (the Python tool) reads: every field it writes, `context_test_date` ISO without
 * a zone, `tested_max_context` and `loadable_max_context` both the loadable limit, `failed` = status is
 * `failed`, `error_msg` "" when there is none, `ctx_out` as imported or min(4096, declared) (lmstrix
 * rejects ctx_out above ctx_in), `short_id` as imported or the file name without extension. Preserved unknown
 * fields go back into each entry; they never override a field LMStrix owns. Entries are sorted by key.
 */
export function toRegistry(
  models: readonly RegistryExportModel[],
  options: ToRegistryOptions = {},
): LmstrixRegistry {
  const llms: Record<string, Record<string, unknown>> = {};
  const sorted = [...models].sort((a, b) => registryKeyOf(a).localeCompare(registryKeyOf(b)));
  for (const model of sorted) {
    let key = registryKeyOf(model);
    if (Object.hasOwn(llms, key)) key = model.modelKey;
    llms[key] = toRegistryEntry(model, options.zone);
  }
  const registry: LmstrixRegistry = { llms };
  if (options.rootPath) registry.path = options.rootPath;
  for (const [field, value] of Object.entries(options.extras ?? {})) {
    if (field !== "llms" && field !== "path") registry[field] = value;
  }
  return registry;
}

function registryKeyOf(model: RegistryExportModel): string {
  const key = model.extras?.[REGISTRY_KEY_FIELD];
  return typeof key === "string" && key !== "" ? key : model.modelKey;
}

function toRegistryEntry(
  model: RegistryExportModel,
  zone: RegistryTimeZone | undefined,
): Record<string, unknown> {
  const extras = model.extras ?? {};
  const stem = lastSegment(model.path).replace(/\.[^.]+$/, "");
  const entry: Record<string, unknown> = {
    id: model.modelKey,
    short_id: "short_id" in extras ? extras.short_id : stem,
    path: model.path,
    size_bytes: model.sizeBytes,
    ctx_in: model.declaredContext,
    ctx_out: "ctx_out" in extras ? extras.ctx_out : Math.min(4096, model.declaredContext),
    has_tools: model.toolUse,
    has_vision: model.vision,
    tested_max_context: model.loadableLimit,
    loadable_max_context: model.loadableLimit,
    last_known_good_context: model.lastGoodContext,
    last_known_bad_context: model.lastBadContext,
    context_test_status: model.testStatus,
    context_test_log: "context_test_log" in extras ? extras.context_test_log : null,
    context_test_date: model.lastTestedAt ? formatRegistryDate(model.lastTestedAt, zone) : null,
    failed: model.testStatus === "failed",
    error_msg: model.errorMessage ?? "",
  };
  const owned = new Set<string>(OWNED_ENTRY_FIELDS);
  for (const [field, value] of Object.entries(extras)) {
    if (field === REGISTRY_KEY_FIELD || owned.has(field)) continue;
    entry[field] = value;
  }
  return entry;
}

/** Pretty JSON like lmstrix writes (`indent=2`), with a final newline. */
export function stringifyRegistry(registry: LmstrixRegistry): string {
  return `${JSON.stringify(registry, null, 2)}\n`;
}
