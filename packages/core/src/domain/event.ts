import { z } from "zod";

/** Every step of a run is one event row, so any viewer (another process included) can follow it. */
export const runEventTypeSchema = z.enum([
  "run.queued",
  "run.started",
  "run.finished",
  "run.interrupted",
  "run.resumed",
  "model.started",
  "model.finished",
  /** Someone asked to skip the model in flight (any process; the run's worker acts on it). */
  "model.skipRequested",
  "probe.started",
  "probe.loadProgress",
  "probe.finished",
  "warning",
  "log",
]);
export type RunEventType = z.infer<typeof runEventTypeSchema>;

export type RunEventPayload = Record<string, unknown>;

export interface RunEvent {
  id: number;
  runId: number;
  type: RunEventType;
  payload: RunEventPayload;
  createdAt: Date;
}
