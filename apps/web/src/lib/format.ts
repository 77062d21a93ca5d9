import { duration, percent, recallPercent, tokens } from "@lmstrix/core";

const oneDecimal = new Intl.NumberFormat("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

type Maybe<T> = T | null | undefined;

/** "131,072", or "-" for nothing (as lmstrix prints it); the same format as the engine's and the CLI's. */
export function formatCount(value: Maybe<number>): string {
  return value === null || value === undefined ? "-" : tokens(value);
}

/** Size in GB as lmstrix computes it: bytes / 1024³, two decimals. */
export function formatGigabytes(bytes: number): string {
  return `${twoDecimals.format(bytes / 1024 ** 3)} GB`;
}

/** Size in MB (bytes / 1024², one decimal at most), for database files. */
export function formatMegabytes(bytes: number): string {
  return `${(bytes / 1024 ** 2).toLocaleString("en-US", { maximumFractionDigits: 1 })} MB`;
}

export function formatDateTime(value: Maybe<Date>): string {
  if (!value) return "-";
  return value.toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short" });
}

/**
 * Compact, for table cells: "Nov 26, 11:00 PM", the year only when it is not this year's, seconds on request
 * (probes a few seconds apart).
 */
export function formatShortDateTime(
  value: Maybe<Date>,
  { seconds = false, now = new Date() }: { seconds?: boolean; now?: Date } = {},
): string {
  if (!value) return "-";
  return value.toLocaleString("en-US", {
    month: "short",
    day: "numeric",
    year: value.getFullYear() === now.getFullYear() ? undefined : "numeric",
    hour: "numeric",
    minute: "2-digit",
    second: seconds ? "2-digit" : undefined,
  });
}

/** With seconds: for logs, where several lines share a minute. */
export function formatTime(value: Maybe<Date>): string {
  if (!value) return "-";
  return value.toLocaleTimeString("en-US", { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

/** A share as "46%", or "-" when either side is missing. */
export function formatPercent(part: Maybe<number>, whole: Maybe<number>): string {
  if (part === null || part === undefined || !whole) return "-";
  return percent(part / whole);
}

/** A recall or a recall threshold to the tenth of a percent it has ("85.6%", "80%"), or "-". */
export function formatRecall(share: Maybe<number>): string {
  return share === null || share === undefined ? "-" : recallPercent(share);
}

/** A share 0..1 (a recall) as "80%", or "-". */
export function formatShare(share: Maybe<number>): string {
  return share === null || share === undefined ? "-" : percent(share);
}

/** A span of time the way people say it ("1 min 12 s": core's `duration`), or "-" for nothing or nonsense. */
export function formatDuration(ms: Maybe<number>): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return "-";
  return duration(ms);
}

/** The time between two instants; a run still going counts up to `now`. */
export function formatSpan(start: Maybe<Date>, end: Maybe<Date>, now: Date = new Date()): string {
  if (!start) return "-";
  return formatDuration((end ?? now).getTime() - start.getTime());
}

export function formatTokensPerSecond(value: Maybe<number>): string {
  return value === null || value === undefined ? "-" : `${oneDecimal.format(value)} tok/s`;
}
