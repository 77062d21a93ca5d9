import { z } from "zod";
import { runModeSchema } from "../run";

// Each event kind has two schemas: the payload as the engine writes it now (every field it always writes is
// required, so an emitter that forgets or renames one does not compile), and the payload as a reader accepts
// it from the database, where rows written by earlier versions lack the fields added since. A reader's schema
// requires only the fields it cannot do without.

export const runQueuedPayload = z.object({
  mode: runModeSchema,
  startedBy: z.string(),
  /** The run's options as queued; no viewer reads them, and older rows hold older option sets. */
  options: z.record(z.string(), z.unknown()),
});
export const storedRunQueuedPayload = runQueuedPayload.partial();

/** `run.started` and `run.resumed`: which process (`web:host:pid`, `cli:host:pid`) took the run. */
export const runTakenPayload = z.object({ holder: z.string() });
export const storedRunTakenPayload = runTakenPayload.partial();

export const runInterruptedPayload = z.object({
  message: z.string(),
  /** The worker's last heartbeat (ISO time), when known: the event may be written long after it stopped. */
  lastAliveAt: z.string().optional(),
  /** Written by the health check's repair rather than by a worker. */
  repairedBy: z.literal("health").optional(),
  /** Written by a snapshot restore that brought the run back as running. */
  snapshot: z.string().optional(),
});
export const storedRunInterruptedPayload = runInterruptedPayload.partial();

export const runFinishedPayload = z.object({
  status: z.enum(["completed", "failed", "cancelled"]),
  message: z.string().nullable(),
  /** A run made by importing an lmstrix registry rather than by testing. */
  imported: z.literal(true).optional(),
});
// The Run page reads a status-less closing event as `completed`.
export const storedRunFinishedPayload = runFinishedPayload.partial();
