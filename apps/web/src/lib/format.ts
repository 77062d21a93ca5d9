const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const twoDecimals = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** "131,072", or "-" for nothing (as lmstrix prints it). */
export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? "-" : integer.format(value);
}

/** Size in GB as lmstrix computes it: bytes / 1024³, two decimals. */
export function formatGigabytes(bytes: number): string {
  return `${twoDecimals.format(bytes / 1024 ** 3)} GB`;
}

export function formatDateTime(value: Date | null | undefined): string {
  if (!value) return "-";
  return value.toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short" });
}
