export { parseExtras } from "./field-diff";
export { type ImportRun, importRuns } from "./history";
export { importRegistry, importRegistryText } from "./import-registry";
export {
  type FieldChange,
  IMPORT_STARTED_BY,
  type ImportRegistryOptions,
  type ImportResult,
  type ImportRunOptions,
  type ModelImport,
  RegistryImportError,
} from "./types";
