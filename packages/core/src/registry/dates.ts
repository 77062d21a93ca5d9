/**
 * lmstrix wrote `context_test_date` with Python's `datetime.now().isoformat()`: the machine's local time with
 * no zone, microseconds only when non-zero (`2025-07-26T14:03:11.482913`). LMStrix reads such a zone-less
 * value in the zone given (local by default, like lmstrix itself) and writes it back the same way, so a
 * round trip keeps the instant to the millisecond. A value that carries a zone (`Z`, `+02:00`) is honoured.
 */
export type RegistryTimeZone = "local" | "utc";

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** The instant, or `null` when the text is not an ISO 8601 date-time that exists in the calendar. */
export function parseRegistryDate(text: string, zone: RegistryTimeZone = "local"): Date | null {
  const match = ISO_DATE_TIME.exec(text.trim());
  if (!match) return null;
  const [, y, mo, d, h = "0", mi = "0", s = "0", fraction = "", offset] = match;
  const [year, month, day, hours, minutes, seconds] = [y, mo, d, h, mi, s].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Math.floor(Number(`0.${fraction || "0"}`) * 1000 + 1e-6);
  // Rejects 2025-02-30 and the like, which Date would silently roll over into March.
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return null;
  if (hours > 23 || minutes > 59 || seconds > 59) return null;
  let date: Date;
  if (offset !== undefined) {
    const utc = Date.UTC(year, month - 1, day, hours, minutes, seconds, ms);
    date = new Date(utc - (offset === "Z" ? 0 : offsetMinutes(offset)) * 60_000);
  } else if (zone === "utc") {
    date = new Date(Date.UTC(year, month - 1, day, hours, minutes, seconds, ms));
  } else {
    date = new Date(year, month - 1, day, hours, minutes, seconds, ms);
  }
  if (Number.isNaN(date.getTime())) return null;
  return date;
}

function offsetMinutes(offset: string): number {
  const digits = offset.replace(":", "");
  const sign = digits.startsWith("-") ? -1 : 1;
  return sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
}

/** Python's `isoformat()` of a naive datetime: no zone, `.ffffff` only when the fraction is not zero. */
export function formatRegistryDate(date: Date, zone: RegistryTimeZone = "local"): string {
  const utc = zone === "utc";
  const pad = (value: number, width = 2) => String(value).padStart(width, "0");
  const year = utc ? date.getUTCFullYear() : date.getFullYear();
  const month = (utc ? date.getUTCMonth() : date.getMonth()) + 1;
  const day = utc ? date.getUTCDate() : date.getDate();
  const hours = utc ? date.getUTCHours() : date.getHours();
  const minutes = utc ? date.getUTCMinutes() : date.getMinutes();
  const seconds = utc ? date.getUTCSeconds() : date.getSeconds();
  const ms = utc ? date.getUTCMilliseconds() : date.getMilliseconds();
  const base = `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hours)}:${pad(minutes)}:${pad(seconds)}`;
  return ms === 0 ? base : `${base}.${pad(ms * 1000, 6)}`;
}
