import { duration, percent, tokens } from "@lmstrix/core";

/** "31,744"; "-" when there is no value (lmstrix's table conventions); the engine's and the dashboard's format. */
export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? "-" : tokens(value);
}

/** Size in GB as lmstrix prints it: bytes / 1024³ with two decimals. */
export function formatGb(bytes: number): string {
  return (bytes / 1024 ** 3).toFixed(2);
}

/** The loadable limit's share of the declared context in %, one decimal, e.g. 81.2. */
export function efficiency(limit: number | null, declared: number): number | null {
  if (limit === null || declared <= 0) return null;
  return Math.round((limit / declared) * 1000) / 10;
}

/** A percentage with one decimal, "81.2%" (lmstrix's efficiency), or "-". */
export function formatPercent(value: number | null): string {
  return value === null ? "-" : percent(value / 100, 1);
}

/** "850 ms", "4.2 s", "3 min 12 s", "1 h 4 min": core's `duration`, as the dashboard writes it. */
export const formatDuration = duration;

/** Local time without the zone, "2025-07-14 21:03", for tables. */
export function formatDateTime(date: Date | null): string {
  if (!date) return "-";
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** First line of a (possibly multi-line, LM Studio-sized) message, cut to `max` characters. */
export function oneLine(text: string | null | undefined, max = 160): string {
  if (!text) return "";
  const line = text.split("\n").find((part) => part.trim() !== "") ?? "";
  const trimmed = line.trim();
  if (trimmed.length <= max) return trimmed;
  // Cut where a clause ends ("…: " or "…; ") when one ends late enough, else between words, never mid-word.
  const head = trimmed.slice(0, max - 1);
  const clause = Math.max(head.lastIndexOf(": "), head.lastIndexOf("; "));
  const cut = clause >= max / 2 ? clause : head.lastIndexOf(" ") > 0 ? head.lastIndexOf(" ") : head.length;
  return `${head.slice(0, cut).trimEnd()}…`;
}

/** A file size for people: "512 B", "84 KB", "12.3 MB", "1.42 GB" (powers of 1024, separators in whole numbers). */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes.toLocaleString("en-US")} B`;
  if (bytes < 1024 ** 2) return `${Math.round(bytes / 1024).toLocaleString("en-US")} KB`;
  if (bytes < 1024 ** 3) return `${decimals(bytes / 1024 ** 2, 1)} MB`;
  return `${decimals(bytes / 1024 ** 3, 2)} GB`;
}

function decimals(value: number, digits: number): string {
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** How long ago: "just now", "42 s ago", "12 min ago", "3 h ago", "5 days ago". */
export function formatAge(ms: number): string {
  if (ms < 1_000) return "just now";
  if (ms < 60_000) return `${Math.floor(ms / 1000)} s ago`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ago`;
  if (ms < 172_800_000) return `${Math.floor(ms / 3_600_000)} h ago`;
  return `${Math.floor(ms / 86_400_000).toLocaleString("en-US")} days ago`;
}
