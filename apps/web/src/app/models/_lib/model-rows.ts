import { noEffectiveLimitFound } from "@lmstrix/core";
import { type SortState, type SortValue, sortRows } from "../../../lib/sort";

/** The fields of a `model.list` row the table works with. */
export interface ModelRow {
  id: number;
  modelKey: string;
  displayName: string;
  type: string;
  sizeBytes: number;
  declaredContext: number;
  loadableLimit: number | null;
  /** The largest filled-context size still recalled; null when not measured (or none passed). */
  effectiveLimit: number | null;
  /** The threshold the effective search read at; set with a null effective limit, it found none. */
  effectiveThreshold: number | null;
  lastGoodContext: number | null;
  lastBadContext: number | null;
  testStatus: string;
  lastTestedAt: Date | null;
  isPresent: boolean;
  /** Why the stored result is stale (another LM Studio version or model file), in words; empty: it is not. */
  stale: readonly string[];
  host: { id: number; name: string };
}

export type ModelSortKey =
  | "host"
  | "model"
  | "type"
  | "size"
  | "declared"
  | "limit"
  | "effective"
  | "lastGood"
  | "lastBad"
  | "efficiency"
  | "status"
  | "lastTested";

export interface ModelFilters {
  hostId: number | "all";
  type: string | "all";
  status: string | "all";
  text: string;
}

export const NO_MODEL_FILTERS: ModelFilters = { hostId: "all", type: "all", status: "all", text: "" };

/** Loadable limit as a share of the declared context (lmstrix's "efficiency"); null when untested. */
export function efficiency(row: Pick<ModelRow, "loadableLimit" | "declaredContext">): number | null {
  if (row.loadableLimit === null || row.declaredContext <= 0) return null;
  return row.loadableLimit / row.declaredContext;
}

/** Status in the order a user scans for: problems and work in progress before the settled ones. */
const STATUS_ORDER: Record<string, number> = { testing: 0, failed: 1, untested: 2, completed: 3 };

const SORT_VALUES: Record<ModelSortKey, (row: ModelRow) => SortValue> = {
  host: (row) => row.host.name,
  model: (row) => row.modelKey,
  type: (row) => row.type,
  size: (row) => row.sizeBytes,
  declared: (row) => row.declaredContext,
  limit: (row) => row.loadableLimit,
  // None found is a measurement: below every limit found, above the models not measured (which sort last).
  effective: (row) => (noEffectiveLimitFound(row) ? 0 : row.effectiveLimit),
  lastGood: (row) => row.lastGoodContext,
  lastBad: (row) => row.lastBadContext,
  efficiency: (row) => efficiency(row),
  status: (row) => STATUS_ORDER[row.testStatus] ?? 9,
  lastTested: (row) => row.lastTestedAt,
};

/** Text columns start A→Z; numbers and dates start with the largest / newest. */
export function firstDirectionFor(key: ModelSortKey): "ascending" | "descending" {
  return key === "host" || key === "model" || key === "type" || key === "status" ? "ascending" : "descending";
}

export function filterModels<Row extends ModelRow>(rows: readonly Row[], filters: ModelFilters): Row[] {
  const words = filters.text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  return rows.filter((row) => {
    if (filters.hostId !== "all" && row.host.id !== filters.hostId) return false;
    if (filters.type !== "all" && row.type !== filters.type) return false;
    if (filters.status !== "all" && row.testStatus !== filters.status) return false;
    if (words.length === 0) return true;
    const haystack = `${row.modelKey} ${row.displayName} ${row.host.name}`.toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}

export function sortModels<Row extends ModelRow>(rows: readonly Row[], sort: SortState<ModelSortKey>): Row[] {
  return sortRows(rows, SORT_VALUES[sort.key], sort.direction);
}

/** LLMs that are still on their host; only those can be tested. */
export function isTestable(row: Pick<ModelRow, "type" | "isPresent">): boolean {
  return row.type === "llm" && row.isPresent;
}

/** What "Test all untested" on a host would pick: present LLMs not yet completed (as the engine selects). */
export function countUntested(rows: readonly ModelRow[], hostId: number): number {
  return rows.filter((row) => row.host.id === hostId && isTestable(row) && row.testStatus !== "completed")
    .length;
}

/** Selected models grouped by host, in host order: one run per host. */
export function groupByHost(rows: readonly ModelRow[]): { hostId: number; modelKeys: string[] }[] {
  const groups = new Map<number, string[]>();
  for (const row of rows) {
    const keys = groups.get(row.host.id) ?? [];
    keys.push(row.modelKey);
    groups.set(row.host.id, keys);
  }
  return [...groups.entries()].map(([hostId, modelKeys]) => ({ hostId, modelKeys }));
}

/** The rows with those in `changed` put in their place (by id); rows of other hosts or pages stay as they are. */
export function replaceRows<Row extends { id: number }>(
  rows: readonly Row[],
  changed: readonly Row[],
): Row[] {
  const byId = new Map(changed.map((row) => [row.id, row]));
  return rows.map((row) => byId.get(row.id) ?? row);
}
