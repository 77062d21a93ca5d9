import type { RunOptions } from "../domain/run";
import { stableStringify } from "../util/stable-json";

// The refusal moved to core's errors with the other `LmstrixError`s; importers of this module keep it.
export { DuplicateRunError } from "../errors/run-errors";

/** Whether two runs ask for exactly the same thing (the same options, whatever their key order). */
export function sameRunOptions(a: RunOptions, b: RunOptions): boolean {
  return stableStringify(a) === stableStringify(b);
}
