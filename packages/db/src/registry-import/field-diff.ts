import { stableStringify } from "@lmstrix/core";
import { REGISTRY_KEY_FIELD, type RegistryModel } from "@lmstrix/core/registry";
import type { Prisma } from "@prisma/client";
import type { ColumnValue } from "../bulk-write";
import type { ChangeValue, FieldChange } from "./types";

/** What planning needs of a model the host already has. */
export const KNOWN_MODEL_SELECT = {
  id: true,
  modelKey: true,
  isPresent: true,
  path: true,
  sizeBytes: true,
  declaredContext: true,
  vision: true,
  toolUse: true,
  testStatus: true,
  loadableLimit: true,
  lastGoodContext: true,
  lastBadContext: true,
  lastTestedAt: true,
  errorCategory: true,
  errorMessage: true,
  extraJson: true,
} as const satisfies Prisma.ModelSelect;
export type KnownModel = Prisma.ModelGetPayload<{ select: typeof KNOWN_MODEL_SELECT }>;

/** What a scan knows of a model; taken from the entry only while the model is not present. */
const FACT_FIELDS = ["path", "sizeBytes", "declaredContext", "vision", "toolUse"] as const;
/** The test summary; taken from the entry when its results are newer (`takesSummary`). */
const SUMMARY_FIELDS = [
  "testStatus",
  "loadableLimit",
  "lastGoodContext",
  "lastBadContext",
  "lastTestedAt",
  "errorCategory",
  "errorMessage",
] as const;

/** A known model's columns the entry changes (column → new value), and each change with its old value. */
export function diffKnownModel(
  row: KnownModel,
  entry: RegistryModel,
  key: string,
): { data: Record<string, ColumnValue>; changes: FieldChange[] } {
  const data: Record<string, ColumnValue> = {};
  const changes: FieldChange[] = [];
  const consider = (field: string, from: unknown, to: unknown) => {
    if (sameValue(from, to)) return;
    data[field] = to as ColumnValue;
    changes.push({ field, from: changeValue(from), to: changeValue(to) });
  };
  if (!row.isPresent) {
    for (const field of FACT_FIELDS) {
      consider(field, field === "sizeBytes" ? Number(row.sizeBytes) : row[field], entry[field]);
    }
  }
  if (takesSummary(row, entry)) {
    for (const field of SUMMARY_FIELDS) consider(field, row[field], entry[field]);
  }
  const extras = mergeExtras(row.extraJson, entry, key);
  if (stableStringify(parseExtras(row.extraJson)) !== stableStringify(extras ?? {})) {
    data.extraJson = extras === null ? null : JSON.stringify(extras);
    changes.push({ field: "extraJson", from: row.extraJson, to: data.extraJson as string | null });
  }
  return { data, changes };
}

/** Newer wins: an entry's results replace the model's only when they are newer, or the model has none. */
function takesSummary(row: KnownModel, entry: RegistryModel): boolean {
  if (row.testStatus === "testing") return false;
  if (!hasResults(entry)) return false;
  if (entry.lastTestedAt)
    return !row.lastTestedAt || entry.lastTestedAt.getTime() > row.lastTestedAt.getTime();
  return !hasResults(row);
}

function hasResults(model: {
  testStatus: string;
  loadableLimit: number | null;
  lastGoodContext: number | null;
  lastBadContext: number | null;
}): boolean {
  return (
    model.testStatus !== "untested" ||
    model.loadableLimit !== null ||
    model.lastGoodContext !== null ||
    model.lastBadContext !== null
  );
}

/** The model's `extraJson` with the entry's unknown fields, and its key when that is not the model key. */
export function mergeExtras(
  current: string | null,
  entry: RegistryModel,
  key: string,
): Record<string, unknown> | null {
  const merged: Record<string, unknown> = { ...parseExtras(current), ...entry.extras };
  if (key === entry.modelKey) delete merged[REGISTRY_KEY_FIELD];
  return Object.keys(merged).length > 0 ? merged : null;
}

/** `Model.extraJson` as an object (`{}` when empty or not an object). */
export function parseExtras(text: string | null): Record<string, unknown> {
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  return a === b;
}

function changeValue(value: unknown): ChangeValue {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "bigint") return Number(value);
  if (value === undefined) return null;
  return value as ChangeValue;
}
