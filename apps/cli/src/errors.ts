/**
 * Exit codes: 0 success, 1 a failure occurred (run failed, a tested model failed, health found problems), 2 bad
 * usage or bad input (a malformed file to import).
 */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** Bad usage: unknown command/flag, bad number, unknown model/host/run. Exits 2; nothing was written. */
export class UsageError extends Error {
  override readonly name = "UsageError";

  constructor(
    message: string,
    /** The command whose help to point at. */
    readonly command?: string,
  ) {
    super(message);
  }
}

/** Something went wrong that the user should read about (host unreachable, host busy). Exits 1. */
export class CliFailure extends Error {
  override readonly name = "CliFailure";
}

/**
 * Input the user gave that LMStrix refuses: a registry file that is missing, not a regular file, or malformed.
 * Exits 2 like bad usage (nothing was written), without pointing at the usage text: the message says what is
 * wrong with the input.
 */
export class InputError extends Error {
  override readonly name = "InputError";
}
