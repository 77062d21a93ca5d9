import { positiveIntegerParam } from "../../../lib/query-params";
import type { SortState } from "../../../lib/sort";
import { TEST_STATUS_LABELS } from "../../../lib/status";
import { firstDirectionFor, type ModelFilters, type ModelSortKey, NO_MODEL_FILTERS } from "./model-rows";

/** What the Models page shows: kept in its URL (`?host=2&status=failed&sort=limit&dir=desc&page=2`). */
export interface ModelsView {
  filters: ModelFilters;
  sort: SortState<ModelSortKey>;
  page: number;
}

export const DEFAULT_MODELS_SORT: SortState<ModelSortKey> = { key: "host", direction: "ascending" };

const SORT_KEYS: readonly ModelSortKey[] = [
  "host",
  "model",
  "type",
  "size",
  "declared",
  "limit",
  "effective",
  "lastGood",
  "lastBad",
  "efficiency",
  "status",
  "lastTested",
];

/** Reads a view from a query; anything unknown or malformed falls back to the default view's value. */
export function parseModelsView(params: URLSearchParams): ModelsView {
  const status = params.get("status");
  const type = params.get("type")?.trim();
  const key = SORT_KEYS.find((candidate) => candidate === params.get("sort")) ?? DEFAULT_MODELS_SORT.key;
  const dir = params.get("dir");
  return {
    filters: {
      hostId: positiveIntegerParam(params.get("host")) ?? NO_MODEL_FILTERS.hostId,
      type: type && type.length <= 40 ? type : NO_MODEL_FILTERS.type,
      status: status && status in TEST_STATUS_LABELS ? status : NO_MODEL_FILTERS.status,
      text: (params.get("q") ?? "").slice(0, 200),
    },
    sort: {
      key,
      direction:
        dir === "asc"
          ? "ascending"
          : dir === "desc"
            ? "descending"
            : key === DEFAULT_MODELS_SORT.key
              ? DEFAULT_MODELS_SORT.direction
              : firstDirectionFor(key),
    },
    page: positiveIntegerParam(params.get("page")) ?? 1,
  };
}

/** The query of a view, without the values that are the default. */
export function modelsViewParams(view: ModelsView): URLSearchParams {
  const params = new URLSearchParams();
  const { filters, sort } = view;
  if (filters.hostId !== "all") params.set("host", String(filters.hostId));
  if (filters.type !== "all") params.set("type", filters.type);
  if (filters.status !== "all") params.set("status", filters.status);
  if (filters.text !== "") params.set("q", filters.text);
  if (sort.key !== DEFAULT_MODELS_SORT.key || sort.direction !== DEFAULT_MODELS_SORT.direction) {
    params.set("sort", sort.key);
    params.set("dir", sort.direction === "ascending" ? "asc" : "desc");
  }
  if (view.page > 1) params.set("page", String(view.page));
  return params;
}
