/** Exit codes: 0 success, 1 a failure occurred (run failed, a tested model failed), 2 bad usage. */
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
