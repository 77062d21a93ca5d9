/**
 * The one vocabulary of errors LMStrix throws on purpose (not `RuntimeError`: its categories are outcomes of a
 * probe, which the engine records rather than throws at a user). Each code says how the two front ends report
 * it: the dashboard's API as a tRPC error code, the CLI as an exit code (1: a failure occurred, 2: bad usage
 * or bad input, nothing was written). Plain data, so that core stays free of tRPC.
 */
export const LMSTRIX_ERRORS = {
  /** A command line or request that does not make sense: unknown flag, bad number, unknown name. */
  USAGE: { trpc: "BAD_REQUEST", exit: 2 },
  /** A setting in the environment is out of range or malformed (the message names it and what is allowed). */
  INVALID_ENVIRONMENT: { trpc: "INTERNAL_SERVER_ERROR", exit: 2 },
  /** Input the user gave is refused as it is: a file that is missing, not a regular file, or malformed. */
  INVALID_INPUT: { trpc: "BAD_REQUEST", exit: 2 },
  /** A registry file (lmstrix.json, lmsm.json) that does not parse; the message names entry and field. */
  INVALID_REGISTRY: { trpc: "BAD_REQUEST", exit: 2 },
  /** The database cannot be opened (damaged, not a database) or does not exist yet where one is needed. */
  DATABASE_UNAVAILABLE: { trpc: "INTERNAL_SERVER_ERROR", exit: 1 },
  /** A file could not be written (export). */
  WRITE_FAILED: { trpc: "INTERNAL_SERVER_ERROR", exit: 1 },
  HOST_NOT_FOUND: { trpc: "NOT_FOUND", exit: 1 },
  /** Another host has that name already (a name is one host's). */
  HOST_NAME_TAKEN: { trpc: "CONFLICT", exit: 2 },
  /** The data spans several hosts and the operation describes one: the caller must choose. */
  HOST_REQUIRED: { trpc: "BAD_REQUEST", exit: 2 },
  /** The host is running or leased by a run; doing this now would disturb or spoil it. */
  HOST_BUSY: { trpc: "CONFLICT", exit: 1 },
  /** LM Studio at the host's URL does not answer. */
  HOST_UNREACHABLE: { trpc: "BAD_GATEWAY", exit: 1 },
  /** LM Studio answered a one-off request (scan, infer) with an error. */
  HOST_FAILED: { trpc: "BAD_GATEWAY", exit: 1 },
  /** Refused while a run is running (restore, import). */
  RUN_IN_PROGRESS: { trpc: "CONFLICT", exit: 1 },
  RUN_NOT_FOUND: { trpc: "NOT_FOUND", exit: 1 },
  /** The same "test all" is already queued, running or interrupted on the host. */
  RUN_DUPLICATE: { trpc: "CONFLICT", exit: 1 },
  /** A run did not do what was asked in time or ended first (a skip that did not take effect). */
  RUN_CHANGED: { trpc: "CONFLICT", exit: 1 },
  /** A skip that cannot be done: the run is not running, or the model is not in flight. */
  SKIP_REFUSED: { trpc: "CONFLICT", exit: 1 },
  /** No snapshot of that name. */
  NOT_FOUND: { trpc: "NOT_FOUND", exit: 2 },
  /** A snapshot name that is not a plain `.db` file name of the snapshot folder. */
  INVALID_NAME: { trpc: "BAD_REQUEST", exit: 2 },
  INVALID_REASON: { trpc: "BAD_REQUEST", exit: 1 },
  /** A snapshot file that is not a sound LMStrix database. */
  INVALID_SNAPSHOT: { trpc: "BAD_REQUEST", exit: 1 },
  /** A snapshot written by a newer LMStrix (migrations this one does not know). */
  NEWER_SNAPSHOT: { trpc: "BAD_REQUEST", exit: 1 },
  /** No model of that key on the host (as last scanned). */
  MODEL_NOT_FOUND: { trpc: "NOT_FOUND", exit: 2 },
  /** The limit asked for has not been measured for the model yet (test it first). */
  LIMIT_NOT_MEASURED: { trpc: "CONFLICT", exit: 1 },
  /** The host's LM Studio home is not on this machine (or not known): its settings cannot be written here. */
  LMSTUDIO_HOME_UNKNOWN: { trpc: "BAD_REQUEST", exit: 2 },
  /** LM Studio's settings file for the model is not JSON or not of its shape; it is left untouched. */
  INVALID_LMSTUDIO_SETTINGS: { trpc: "CONFLICT", exit: 2 },
  /** `apply --undo` with no backup of an earlier apply to put back. */
  NOTHING_TO_UNDO: { trpc: "NOT_FOUND", exit: 1 },
  /** The snapshot folder is a link or not a folder: LMStrix will not write or delete through it. */
  UNSAFE_FOLDER: { trpc: "BAD_REQUEST", exit: 1 },
  /** No schedule with that id. */
  SCHEDULE_NOT_FOUND: { trpc: "NOT_FOUND", exit: 2 },
} as const satisfies Record<string, { trpc: TrpcErrorCodeName; exit: 1 | 2 }>;

export type LmstrixErrorCode = keyof typeof LMSTRIX_ERRORS;

/** The tRPC error codes the table uses (a subset of tRPC's own names, spelled the same). */
export type TrpcErrorCodeName =
  | "BAD_REQUEST"
  | "NOT_FOUND"
  | "CONFLICT"
  | "BAD_GATEWAY"
  | "GATEWAY_TIMEOUT"
  | "INTERNAL_SERVER_ERROR";

export const LMSTRIX_ERROR_CODES = Object.keys(LMSTRIX_ERRORS) as LmstrixErrorCode[];
