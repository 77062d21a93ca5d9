import { missingEffectiveLimit, noEffectiveLimitFound } from "@lmstrix/core";
import Link from "next/link";
import { useEffect, useRef } from "react";
import { Pagination } from "~/components/pagination";
import { SortableHeader } from "~/components/sortable-header";
import { StaleBadge } from "~/components/stale-badge";
import { StatusBadge } from "~/components/status-badge";
import { CELL, DESKTOP_WIDE_ONLY, NUMBER_CELL, WIDE_ONLY } from "~/components/table";
import { formatCount, formatGigabytes, formatPercent, formatShortDateTime } from "~/lib/format";
import type { SortState } from "~/lib/sort";
import { isTestable, type ModelRow, type ModelSortKey } from "../_lib/model-rows";

// On a phone only the model (with its host under it), its Loadable limit and status: the figure people look
// for fits the screen without scrolling sideways. On a laptop (1,280 px) every column but Type and Last good
// fits: an embedding model says so under its key, and the last good size is the loadable limit once tested.
type Width = "wide" | "desktop";
const WIDTH_CLASS: Record<Width, string> = { wide: WIDE_ONLY, desktop: DESKTOP_WIDE_ONLY };
const COLUMNS: { key: ModelSortKey; label: string; align?: "right"; shownFrom?: Width }[] = [
  { key: "host", label: "Host", shownFrom: "wide" },
  { key: "model", label: "Model" },
  { key: "type", label: "Type", shownFrom: "desktop" },
  { key: "size", label: "Size", align: "right", shownFrom: "wide" },
  { key: "declared", label: "Declared", align: "right", shownFrom: "wide" },
  { key: "limit", label: "Loadable limit", align: "right" },
  { key: "effective", label: "Effective", align: "right", shownFrom: "wide" },
  { key: "lastGood", label: "Last good", align: "right", shownFrom: "desktop" },
  { key: "lastBad", label: "Last bad", align: "right", shownFrom: "wide" },
  { key: "efficiency", label: "Efficiency", align: "right", shownFrom: "wide" },
  { key: "status", label: "Status" },
  { key: "lastTested", label: "Last tested", shownFrom: "wide" },
];

export function ModelsTable({
  rows,
  totalRows,
  pagination,
  onPage,
  sort,
  onSort,
  selected,
  onSelectedChange,
}: {
  rows: readonly ModelRow[];
  totalRows: number;
  pagination: { page: number; pageCount: number; start: number; total: number };
  onPage: (page: number) => void;
  sort: SortState<ModelSortKey>;
  onSort: (key: ModelSortKey) => void;
  selected: ReadonlySet<number>;
  onSelectedChange: (selected: ReadonlySet<number>) => void;
}) {
  const selectableIds = rows.filter(isTestable).map((row) => row.id);
  const selectedOnPage = selectableIds.filter((id) => selected.has(id)).length;
  const allOnPage = selectableIds.length > 0 && selectedOnPage === selectableIds.length;
  const headerCheckbox = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (headerCheckbox.current) {
      headerCheckbox.current.indeterminate = selectedOnPage > 0 && !allOnPage;
    }
  }, [selectedOnPage, allOnPage]);

  const toggle = (ids: readonly number[], isOn: boolean) => {
    const next = new Set(selected);
    for (const id of ids) {
      if (isOn) next.add(id);
      else next.delete(id);
    }
    onSelectedChange(next);
  };

  return (
    <div className="rounded-lg border border-slate-200 bg-white shadow-sm">
      {/* Positioned: it holds the screen-reader-only caption, which would otherwise widen the page. */}
      <div className="relative overflow-x-auto">
        <table className="min-w-full text-sm">
          <caption className="sr-only">
            Models on every host with their measured context limits; column headers sort the table
          </caption>
          <thead className="border-b border-slate-200 bg-slate-50 text-xs text-slate-600">
            <tr>
              <th scope="col" className={`${CELL} w-10`}>
                <input
                  ref={headerCheckbox}
                  type="checkbox"
                  aria-label="Select all testable models on this page"
                  checked={allOnPage}
                  disabled={selectableIds.length === 0}
                  onChange={(event) => toggle(selectableIds, event.target.checked)}
                  className="size-4 accent-slate-900"
                />
              </th>
              {COLUMNS.map((column) => (
                <SortableHeader
                  key={column.key}
                  label={column.label}
                  sortKey={column.key}
                  sort={sort}
                  onSort={onSort}
                  align={column.align}
                  className={column.shownFrom ? WIDTH_CLASS[column.shownFrom] : undefined}
                />
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.length === 0 ? (
              <tr>
                <td colSpan={COLUMNS.length + 1} className="px-3 py-8 text-center text-slate-500">
                  No model matches these filters.
                </td>
              </tr>
            ) : (
              rows.map((row) => (
                <ModelTableRow
                  key={row.id}
                  row={row}
                  isSelected={selected.has(row.id)}
                  onToggle={(isOn) => toggle([row.id], isOn)}
                />
              ))
            )}
          </tbody>
        </table>
      </div>
      <div className="border-t border-slate-100 px-3">
        <Pagination
          page={pagination.page}
          pageCount={pagination.pageCount}
          start={pagination.start}
          shown={rows.length}
          total={totalRows}
          what="models"
          onPage={onPage}
        />
      </div>
    </div>
  );
}

function ModelTableRow({
  row,
  isSelected,
  onToggle,
}: {
  row: ModelRow;
  isSelected: boolean;
  onToggle: (isOn: boolean) => void;
}) {
  const testable = isTestable(row);
  const notTestableReason = !row.isPresent
    ? "Not on the host any more"
    : row.type !== "llm"
      ? "Embedding models are not tested"
      : undefined;
  return (
    <tr
      className={`${row.isPresent ? "" : "bg-slate-50 text-slate-400"} ${isSelected ? "bg-sky-50" : "hover:bg-slate-50"}`}
    >
      <td className={CELL}>
        <input
          type="checkbox"
          aria-label={`Select ${row.modelKey}`}
          checked={isSelected}
          disabled={!testable}
          title={notTestableReason}
          onChange={(event) => onToggle(event.target.checked)}
          className="size-4 accent-slate-900"
        />
      </td>
      <td className={`${CELL} ${WIDE_ONLY} whitespace-nowrap`}>{row.host.name}</td>
      <td className={`${CELL} sm:min-w-56`}>
        <Link
          href={`/models/${row.id}`}
          className={`font-mono text-xs font-medium break-all underline-offset-2 hover:underline sm:break-normal ${row.isPresent ? "text-sky-800" : "text-slate-500"}`}
        >
          {row.modelKey}
        </Link>
        {row.displayName !== row.modelKey ? (
          <div className="text-xs text-slate-500">{row.displayName}</div>
        ) : null}
        <div className="text-xs text-slate-600 sm:hidden">on {row.host.name}</div>
        {row.type === "llm" ? null : (
          <div className="text-xs text-slate-500 2xl:hidden" data-testid="model-type-note">
            {row.type} model
          </div>
        )}
        {row.isPresent ? null : (
          <div className="text-xs font-medium text-slate-500">Gone from the host — kept for its history</div>
        )}
      </td>
      <td className={`${CELL} ${DESKTOP_WIDE_ONLY}`}>{row.type}</td>
      <td className={`${NUMBER_CELL} ${WIDE_ONLY}`}>{formatGigabytes(row.sizeBytes)}</td>
      <td className={`${NUMBER_CELL} ${WIDE_ONLY}`}>{formatCount(row.declaredContext)}</td>
      <td className={`${NUMBER_CELL} font-semibold`}>{formatCount(row.loadableLimit)}</td>
      <td className={`${NUMBER_CELL} ${WIDE_ONLY}`} title={effectiveTitle(row)}>
        {noEffectiveLimitFound(row) ? "none found" : formatCount(row.effectiveLimit)}
      </td>
      <td className={`${NUMBER_CELL} ${DESKTOP_WIDE_ONLY}`}>{formatCount(row.lastGoodContext)}</td>
      <td className={`${NUMBER_CELL} ${WIDE_ONLY}`}>{formatCount(row.lastBadContext)}</td>
      <td className={`${NUMBER_CELL} ${WIDE_ONLY}`}>
        {formatPercent(row.loadableLimit, row.declaredContext)}
      </td>
      <td className={CELL}>
        <StatusBadge status={row.testStatus} />
        {row.stale.length > 0 ? <StaleBadge reasons={row.stale} /> : null}
      </td>
      <td className={`${CELL} ${WIDE_ONLY} whitespace-nowrap`}>{formatShortDateTime(row.lastTestedAt)}</td>
    </tr>
  );
}

/** What the Effective cell's tooltip says where there is no number: not measured, or none found and why. */
function effectiveTitle(row: ModelRow): string | undefined {
  if (row.effectiveLimit !== null) return undefined;
  return noEffectiveLimitFound(row)
    ? (missingEffectiveLimit(row) ?? undefined)
    : "Not measured (test with the effective context option)";
}
