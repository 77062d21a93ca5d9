/** A whole number above zero from a URL's query (an id, a page), or null when it is anything else. */
export function positiveIntegerParam(value: string | null): number | null {
  if (value === null || !/^\d{1,9}$/.test(value)) return null;
  const number = Number(value);
  return number > 0 ? number : null;
}
