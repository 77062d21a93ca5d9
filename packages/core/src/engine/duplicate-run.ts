import type { RunOptions } from "../domain/run";
import type { RunRecord } from "../ports/store";
import { stableStringify } from "../util/stable-json";

/** Whether two runs ask for exactly the same thing (the same options, whatever their key order). */
export function sameRunOptions(a: RunOptions, b: RunOptions): boolean {
  return stableStringify(a) === stableStringify(b);
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
