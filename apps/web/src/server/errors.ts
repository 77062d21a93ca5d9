import "server-only";
import { isRuntimeError } from "@lmstrix/core";
import { TRPCError } from "@trpc/server";

/** LM Studio's failures as API errors: the host's own message, with a code a client can act on. */
export function toTrpcError(error: unknown, what: string): TRPCError {
  if (error instanceof TRPCError) return error;
  if (isRuntimeError(error)) {
    const code =
      error.category === "UNREACHABLE" || error.category === "DISCONNECTED"
        ? "BAD_GATEWAY"
        : error.category === "TIMEOUT"
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
