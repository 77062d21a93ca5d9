import type { ReactNode } from "react";

export const CELL = "px-3 py-2";
export const NUMBER_CELL = `${CELL} text-right tabular-nums whitespace-nowrap`;

export interface Column {
  label: string;
  align?: "right";
  /** Named for screen readers only (a column of buttons). */
  isLabelHidden?: boolean;
}

/** A table in a card, running to the card's edges and scrolling sideways when narrow. */
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
    <div className="-mx-4 overflow-x-auto">
      <table className="min-w-full text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-y border-slate-200 bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-600">
          <tr>
            {columns.map((column) => (
              <th
                key={column.label}
                scope="col"
                className={`${CELL} font-semibold ${column.align === "right" ? "text-right" : ""}`}
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
