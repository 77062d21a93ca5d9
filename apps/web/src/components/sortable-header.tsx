import type { SortDirection, SortState } from "~/lib/sort";
import { CELL } from "./table";

/** A column header that sorts on click (or Enter/Space), announcing the order through aria-sort. */
export function SortableHeader<Key extends string>({
  label,
  sortKey,
  sort,
  onSort,
  align = "left",
  className = "",
}: {
  label: string;
  sortKey: Key;
  sort: SortState<Key>;
  onSort: (key: Key) => void;
  align?: "left" | "right";
  className?: string;
}) {
  const isSorted = sort.key === sortKey;
  const direction: SortDirection | undefined = isSorted ? sort.direction : undefined;
  return (
    <th
      scope="col"
      aria-sort={direction ?? "none"}
      className={`${CELL} font-semibold ${align === "right" ? "text-right" : "text-left"} ${className}`}
    >
      <button
        type="button"
        onClick={() => onSort(sortKey)}
        className={`inline-flex items-center gap-1 rounded uppercase tracking-wide hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-sky-600 ${
          align === "right" ? "flex-row-reverse" : ""
        } ${isSorted ? "text-slate-900" : ""}`}
      >
        {label}
        <span aria-hidden="true" className={isSorted ? "" : "text-slate-300"}>
          {direction === "descending" ? "▼" : "▲"}
        </span>
      </button>
    </th>
  );
}
