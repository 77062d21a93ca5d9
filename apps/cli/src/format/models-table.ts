import { type ModelSummary, noEffectiveLimitFound, type TestStatus } from "@lmstrix/core";
import type { SortKey } from "../args";
import { formatCount, formatGb } from "./numbers";
import { renderTable } from "./table";

export const STATUS_LABELS: Record<TestStatus, string> = {
  untested: "Untested",
  testing: "Testing...",
  completed: "✓ Tested",
  failed: "✗ Failed",
};

type ListedModel = Pick<
  ModelSummary,
  | "modelKey"
  | "sizeBytes"
  | "declaredContext"
  | "loadableLimit"
  | "effectiveLimit"
  | "effectiveThreshold"
  | "lastGoodContext"
  | "lastBadContext"
  | "testStatus"
>;

/** lmstrix's `--sort`: id, ctx (loadable limit), dtx (declared), size; a trailing "d" sorts descending. */
export function sortModels<T extends ListedModel>(models: readonly T[], sort: SortKey): T[] {
  const isDescending = sort.length > 2 && sort.endsWith("d") && sort !== "id";
  const key = (isDescending ? sort.slice(0, -1) : sort) as "id" | "ctx" | "dtx" | "size";
  const value = (model: T): number =>
    key === "ctx" ? (model.loadableLimit ?? 0) : key === "dtx" ? model.declaredContext : model.sizeBytes;
  const direction = isDescending ? -1 : 1;
  // Ties keep the id order in both directions.
  return [...models].sort((a, b) =>
    key === "id"
      ? direction * a.modelKey.localeCompare(b.modelKey)
      : direction * (value(a) - value(b)) || a.modelKey.localeCompare(b.modelKey),
  );
}

/** The "LM Studio Models" table; a Host column is added only when models of several hosts are shown. */
export function renderModelsTable(models: readonly (ListedModel & { hostName?: string })[]): string {
  const hosts = new Set(models.map((model) => model.hostName));
  const withHost = hosts.size > 1;
  const columns = [
    ...(withHost ? [{ header: "Host" }] : []),
    { header: "Model ID" },
    { header: "Size (GB)", align: "right" as const },
    { header: "Declared", align: "right" as const },
    { header: "Loadable limit", align: "right" as const },
    // Measured only by `test --effective`; "-" until then, like every figure not known yet, and "none found"
    // where no size recalled the threshold.
    { header: "Effective", align: "right" as const },
    { header: "Last good", align: "right" as const },
    { header: "Last bad", align: "right" as const },
    { header: "Status" },
  ];
  const rows = models.map((model) => [
    ...(withHost ? [model.hostName ?? "-"] : []),
    model.modelKey,
    formatGb(model.sizeBytes),
    formatCount(model.declaredContext),
    formatCount(model.loadableLimit),
    noEffectiveLimitFound(model) ? "none found" : formatCount(model.effectiveLimit),
    formatCount(model.lastGoodContext),
    formatCount(model.lastBadContext),
    STATUS_LABELS[model.testStatus],
  ]);
  return renderTable(columns, rows, "LM Studio Models");
}
