import "server-only";
import { isRuntimeError } from "@lmstrix/core";
import { RegistryError } from "@lmstrix/core/registry";
import { RegistryExportError, RegistryImportError, SnapshotError } from "@lmstrix/db";
import { TRPCError } from "@trpc/server";

/** Turns a failure into an API error: the domain's own message, with a code a client can act on. */
export function toTrpcError(error: unknown, what: string): TRPCError {
  if (error instanceof TRPCError) return error;
  if (isRuntimeError(error)) {
    const code =
      error.category === "TIMEOUT"
        ? "GATEWAY_TIMEOUT"
        : error.category === "NOT_FOUND"
          ? "NOT_FOUND"
          : "BAD_GATEWAY";
    return new TRPCError({ code, message: `${what}: ${error.message}`, cause: error });
  }
  if (error instanceof RegistryError) {
    return new TRPCError({ code: "BAD_REQUEST", message: `${what}: ${error.message}`, cause: error });
  }
  if (
    error instanceof SnapshotError ||
    error instanceof RegistryImportError ||
    error instanceof RegistryExportError
  ) {
    const isConflict = error.code === "RUN_IN_PROGRESS";
    const isMissing = error.code === "NOT_FOUND" || error.code === "HOST_NOT_FOUND";
    return new TRPCError({
      code: isConflict ? "CONFLICT" : isMissing ? "NOT_FOUND" : "BAD_REQUEST",
      message: `${what}: ${error.message}`,
      cause: error,
    });
  }
  return new TRPCError({
    code: "INTERNAL_SERVER_ERROR",
    message: `${what}: ${error instanceof Error ? error.message : String(error)}`,
    cause: error,
  });
}
