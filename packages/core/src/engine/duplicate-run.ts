import type { RunOptions } from "../domain/run";
import type { RunRecord } from "../ports/store";

/** Options compared key by key, whatever order they were written in. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, inner]) => inner !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, inner]) => [key, canonical(inner)]),
    );
  }
  return value;
}

/** Whether two runs ask for exactly the same thing (the same options, whatever their key order). */
export function sameRunOptions(a: RunOptions, b: RunOptions): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/**
 * A "test all" refused because the host already has the same one queued, running or interrupted: a second
 * one would only repeat it. Carries that run, so the caller can point at it.
 */
export class DuplicateRunError extends Error {
  override readonly name = "DuplicateRunError";

  constructor(readonly existing: RunRecord) {
    super(
      `Run #${existing.id} (test all, started by ${existing.startedBy}) is already ${existing.status} on this host ` +
        "with the same options; follow it or cancel it instead of starting another",
    );
  }
}
