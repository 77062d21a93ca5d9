/**
 * lmstrix's `lmstrix.json` registry (and the earlier lmsm.json): parsing, validation, mapping to LMStrix
 * terms and back. Pure: the database side (applying an import, exporting) lives in `@lmstrix/db`.
 */
export { formatRegistryDate, parseRegistryDate, type RegistryTimeZone } from "./dates";
export { describeValue } from "./describe";
export { formatIssue, isRegistryError, RegistryError, type RegistryIssue } from "./errors";
export { type DuplicateKey, findDuplicateKeys } from "./json-duplicates";
export {
  IMPORTED_ERROR_CATEGORY,
  type LmstrixRegistry,
  type MappedEntry,
  mapRegistryEntry,
  type RegistryExportModel,
  type RegistryModel,
  stringifyRegistry,
  type ToRegistryOptions,
  toRegistry,
} from "./mapping";
export {
  type ParsedRegistry,
  type ParseRegistryOptions,
  parseRegistry,
  type RegistryEntry,
  type RegistryFormat,
  type RegistryWarning,
} from "./parse";
export {
  LMSM_ENTRY_FIELDS,
  OWNED_ENTRY_FIELDS,
  REGISTRY_KEY_FIELD,
  REGISTRY_MAX_BYTES,
  REGISTRY_MAX_ENTRIES,
  REGISTRY_TEST_STATUSES,
  type RegistryEntryValues,
  type RegistryTestStatus,
  registryEntrySchema,
} from "./schema";
