import "server-only";
import { isLmstrixError, isRuntimeError, type LmstrixError, trpcCodeOf } from "@lmstrix/core";
import { TRPCError } from "@trpc/server";

/** An `LmstrixError` as an API error: its message (after `what: `, when given), the code its table entry says. */
export function lmstrixToTrpc(error: LmstrixError, what?: string): TRPCError {
  const message = what === undefined ? error.message : `${what}: ${error.message}`;
  return new TRPCError({ code: trpcCodeOf(error.code), message, cause: error });
}

/** Turns a failure into an API error: the domain's own message, with a code a client can act on. */
export function toTrpcError(error: unknown, what: string): TRPCError {
  if (error instanceof TRPCError) return error;
  if (isLmstrixError(error)) return lmstrixToTrpc(error, what);
  if (isRuntimeError(error)) {
    // A probe outcome reached an API call (a scan, a playground prompt): the host's fault, not the request's.
    const code =
      error.category === "TIMEOUT"
        ? "GATEWAY_TIMEOUT"
        : error.category === "NOT_FOUND"
          ? "NOT_FOUND"
          : "BAD_GATEWAY";
    return new TRPCError({ code, message: `${what}: ${error.message}`, cause: error });
  }
  return new TRPCError({
    code: "INTERNAL_SERVER_ERROR",
    message: `${what}: ${error instanceof Error ? error.message : String(error)}`,
    cause: error,
  });
}
