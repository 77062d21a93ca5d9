import { LmstrixError, type LmstrixErrorCode } from "@lmstrix/core";
import type { ParsedRegistry, RegistryWarning } from "@lmstrix/core/registry";

/** `Run.startedBy` of the run an import records its measurements in. */
export const IMPORT_STARTED_BY = "import";

export type RegistryImportErrorCode = Extract<LmstrixErrorCode, "HOST_NOT_FOUND" | "RUN_IN_PROGRESS">;

export class RegistryImportError extends LmstrixError<RegistryImportErrorCode> {
  override readonly name = "RegistryImportError";
}

/**
 * What an import run keeps in `Run.optionsJson` besides the usual run options (which parse with their
 * defaults; `runOptionsSchema` ignores these keys): where the data came from, its hash (to recognise the same
 * file again) and the registry's own top-level `path` and unknown fields, which an export writes back.
 */
export interface ImportRunOptions {
  imported: true;
  source: string | null;
  contentHash: string;
  format: ParsedRegistry["format"];
  registry: { path: string | null; extras: Record<string, unknown> };
  counts: { created: number; updated: number; unchanged: number; probes: number };
}

export type ChangeValue = string | number | boolean | null;

export interface FieldChange {
  field: string;
  from: ChangeValue;
  to: ChangeValue;
}

export interface PlannedProbe {
  outcome: "pass" | "fail";
  contextRequested: number;
  at: Date;
}

export interface ModelImport {
  modelKey: string;
  /** The entry's key in the file. */
  key: string;
  action: "created" | "updated" | "unchanged";
  /** For `updated`: each field with its old and new value. */
  changes: FieldChange[];
  /** History added for it (nothing when the same measurement is already there). */
  probes: PlannedProbe[];
}

export interface ImportResult {
  dryRun: boolean;
  hostId: number;
  source: string | null;
  format: ParsedRegistry["format"];
  contentHash: string;
  created: ModelImport[];
  /** Models whose fields or history change. */
  updated: ModelImport[];
  unchanged: string[];
  probesAdded: number;
  /** The import run recorded (`null` for a dry run or when nothing changed). */
  runId: number | null;
  /** The `before-import` snapshot taken (`null` when nothing changed, for a dry run, or when switched off). */
  snapshot: string | null;
  /** An earlier import run of exactly the same file on this host. */
  previousImportRunId: number | null;
  /** From parsing (skipped entries, resolved statuses). */
  warnings: RegistryWarning[];
}

export interface ImportRegistryOptions {
  /** Work out and return what would change, change nothing. */
  dryRun?: boolean;
  /** Take a `before-import` snapshot first (default true; only when something changes). */
  snapshot?: boolean;
  /** Snapshots to keep after that one (default 10). */
  keep?: number;
  now?: Date;
}

export function hostNotFound(hostId: number): RegistryImportError {
  return new RegistryImportError("HOST_NOT_FOUND", `There is no host #${hostId} to import into`);
}
