export type SortDirection = "ascending" | "descending";

export interface SortState<Key extends string> {
  key: Key;
  direction: SortDirection;
}

export type SortValue = string | number | boolean | Date | null | undefined;

const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

/** Missing values sort last in both directions: a user sorting by limit wants the numbers first. */
export function compareSortValues(a: SortValue, b: SortValue, direction: SortDirection): number {
  const aMissing = a === null || a === undefined;
  const bMissing = b === null || b === undefined;
  if (aMissing || bMissing) return aMissing === bMissing ? 0 : aMissing ? 1 : -1;
  const sign = direction === "ascending" ? 1 : -1;
  if (typeof a === "string" && typeof b === "string") return sign * collator.compare(a, b);
  const left = a instanceof Date ? a.getTime() : Number(a);
  const right = b instanceof Date ? b.getTime() : Number(b);
  return sign * (left - right);
}

/** A stable sort by one column; ties keep the incoming order. */
export function sortRows<Row>(
  rows: readonly Row[],
  valueFor: (row: Row) => SortValue,
  direction: SortDirection,
): Row[] {
  return rows
    .map((row, index) => ({ row, index, value: valueFor(row) }))
    .sort((a, b) => compareSortValues(a.value, b.value, direction) || a.index - b.index)
    .map(({ row }) => row);
}

/** Clicking the sorted column flips it; another column starts ascending (text) or descending (numbers). */
export function nextSort<Key extends string>(
  current: SortState<Key>,
  key: Key,
  firstDirection: SortDirection = "ascending",
): SortState<Key> {
  if (current.key !== key) return { key, direction: firstDirection };
  return { key, direction: current.direction === "ascending" ? "descending" : "ascending" };
}

/** The slice of rows on one page, with the page clamped into range (filters can shrink the list). */
export function paginate<Row>(rows: readonly Row[], page: number, pageSize: number) {
  const pageCount = Math.max(1, Math.ceil(rows.length / pageSize));
  const current = Math.min(Math.max(1, page), pageCount);
  const start = (current - 1) * pageSize;
  return { rows: rows.slice(start, start + pageSize), page: current, pageCount, start };
}
