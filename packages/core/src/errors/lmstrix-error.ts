import { LMSTRIX_ERRORS, type LmstrixErrorCode, type TrpcErrorCodeName } from "./error-codes";

/**
 * The error LMStrix throws on purpose: a code from `LMSTRIX_ERRORS` (how each front end reports it) and a
 * message written for the person who will read it. Subclasses exist only where a caller needs more than the
 * code (the run that is a duplicate, the issues of a registry file) or a narrower set of codes.
 */
export class LmstrixError<Code extends LmstrixErrorCode = LmstrixErrorCode> extends Error {
  override readonly name: string = "LmstrixError";

  constructor(
    readonly code: Code,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isLmstrixError(error: unknown): error is LmstrixError {
  return error instanceof LmstrixError;
}

/** The tRPC error code the dashboard's API answers this code with. */
export function trpcCodeOf(code: LmstrixErrorCode): TrpcErrorCodeName {
  return LMSTRIX_ERRORS[code].trpc;
}

/** The exit code of a CLI command that ends with this code. */
export function exitCodeOf(code: LmstrixErrorCode): 1 | 2 {
  return LMSTRIX_ERRORS[code].exit;
}
