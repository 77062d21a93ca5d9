/**
 * JSON with every object's keys in sorted order (and `undefined` values dropped, as JSON does): two values
 * that differ only in key order give the same text, so they compare equal as strings.
 */
export function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === "object" && item !== null && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}
