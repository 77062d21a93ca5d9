export { importRegistry, importRegistryText } from "./import-registry";
export {
  type FieldChange,
  IMPORT_STARTED_BY,
  type ImportRegistryOptions,
  type ImportResult,
  type ModelImport,
  RegistryImportError,
} from "./types";
