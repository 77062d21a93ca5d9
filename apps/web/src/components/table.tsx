import type { ReactNode } from "react";

export const CELL = "px-3 py-2";
export const NUMBER_CELL = `${CELL} text-right tabular-nums whitespace-nowrap`;
/** A column left out on a phone (below Tailwind's `sm`), so that the ones that matter fit the screen. */
export const WIDE_ONLY = "hidden sm:table-cell";
/** Only on a wide desktop (1,536 px and more): a detail that the row's page shows anyway. */
export const DESKTOP_WIDE_ONLY = "hidden 2xl:table-cell";

export interface Column {
  label: string;
  align?: "right";
  /** Named for screen readers only (a column of buttons). */
  isLabelHidden?: boolean;
  /** Left out on a phone; its cells must carry WIDE_ONLY too. */
  isWideOnly?: boolean;
}

/**
 * A table in a card, running to the card's edges and scrolling sideways when narrow. The scroll box is
 * positioned so that it also holds its absolutely positioned content (a screen-reader-only label): otherwise
 * that content is placed against the page and widens it.
 */
export function CardTable({
  caption,
  columns,
  children,
}: {
  caption: string;
  columns: readonly Column[];
  children: ReactNode;
}) {
  return (
    <div className="relative -mx-4 overflow-x-auto">
      <table className="min-w-full text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-y border-slate-200 bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-600">
          <tr>
            {columns.map((column) => (
              <th
                key={column.label}
                scope="col"
                className={`${CELL} font-semibold ${column.align === "right" ? "text-right" : ""} ${column.isWideOnly ? WIDE_ONLY : ""}`}
              >
                {column.isLabelHidden ? <span className="sr-only">{column.label}</span> : column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}
