import { exitCodeOf, isLmstrixError, LmstrixError } from "@lmstrix/core";

/**
 * Exit codes: 0 success, 1 a failure occurred (run failed, a tested model failed, health found problems), 2 bad
 * usage or bad input (a malformed file to import). An error's exit code comes from its code (core's
 * `LMSTRIX_ERRORS`); these are the ones a command returns itself.
 */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** Bad usage: unknown command/flag, bad number, unknown model/host/run. Exits 2; nothing was written. */
export class UsageError extends LmstrixError<"USAGE"> {
  override readonly name = "UsageError";

  constructor(
    message: string,
    /** The command whose help to point at. */
    readonly command?: string,
    options?: { cause?: unknown },
  ) {
    super("USAGE", message, options);
  }
}

/** The exit code a command that failed with `error` ends with. */
export function exitCodeFor(error: unknown): number {
  return isLmstrixError(error) ? exitCodeOf(error.code) : EXIT.failure;
}
