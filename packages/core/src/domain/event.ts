import { z } from "zod";
import { logPayload, storedLogPayload, storedWarningPayload, warningPayload } from "./events/message-events";
import {
  modelFinishedPayload,
  modelLimitChangedPayload,
  modelSkipRequestedPayload,
  modelStartedPayload,
  storedModelFinishedPayload,
  storedModelLimitChangedPayload,
  storedModelSkipRequestedPayload,
  storedModelStartedPayload,
} from "./events/model-events";
import {
  probeFinishedPayload,
  probeLoadProgressPayload,
  probeStartedPayload,
  storedProbeFinishedPayload,
  storedProbeLoadProgressPayload,
  storedProbeStartedPayload,
} from "./events/probe-events";
import {
  runFinishedPayload,
  runInterruptedPayload,
  runQueuedPayload,
  runTakenPayload,
  storedRunFinishedPayload,
  storedRunInterruptedPayload,
  storedRunQueuedPayload,
  storedRunTakenPayload,
} from "./events/run-lifecycle";

/**
 * Every step of a run is one event row, so any viewer (another process included) can follow it. Per kind:
 * the payload as it is written now (`written`) and as a reader accepts it from the database (`stored`).
 */
export const RUN_EVENT_KINDS = {
  "run.queued": { written: runQueuedPayload, stored: storedRunQueuedPayload },
  "run.started": { written: runTakenPayload, stored: storedRunTakenPayload },
  "run.finished": { written: runFinishedPayload, stored: storedRunFinishedPayload },
  "run.interrupted": { written: runInterruptedPayload, stored: storedRunInterruptedPayload },
  "run.resumed": { written: runTakenPayload, stored: storedRunTakenPayload },
  "model.started": { written: modelStartedPayload, stored: storedModelStartedPayload },
  "model.finished": { written: modelFinishedPayload, stored: storedModelFinishedPayload },
  "model.limitChanged": { written: modelLimitChangedPayload, stored: storedModelLimitChangedPayload },
  "model.skipRequested": { written: modelSkipRequestedPayload, stored: storedModelSkipRequestedPayload },
  "probe.started": { written: probeStartedPayload, stored: storedProbeStartedPayload },
  "probe.loadProgress": { written: probeLoadProgressPayload, stored: storedProbeLoadProgressPayload },
  "probe.finished": { written: probeFinishedPayload, stored: storedProbeFinishedPayload },
  warning: { written: warningPayload, stored: storedWarningPayload },
  log: { written: logPayload, stored: storedLogPayload },
} as const;

type Kinds = typeof RUN_EVENT_KINDS;
export type RunEventType = keyof Kinds;
export const runEventTypeSchema = z.enum(Object.keys(RUN_EVENT_KINDS) as [RunEventType, ...RunEventType[]]);

/** What an emitter of `T` must write. */
export type PayloadOf<T extends RunEventType> = z.input<Kinds[T]["written"]>;
/** What a reader of `T` gets from a stored row (fields added since older rows were written may be missing). */
export type StoredPayloadOf<T extends RunEventType> = z.output<Kinds[T]["stored"]>;

/** A payload as it sits in the database: JSON, not checked yet. */
export type RunEventPayload = Record<string, unknown>;

/** An event row as the store keeps it; `parseRunEvent` turns it into a typed `RunEvent`. */
export interface RunEventRow {
  id: number;
  runId: number;
  type: string;
  payload: RunEventPayload;
  createdAt: Date;
}

function eventOf<T extends RunEventType>(type: T) {
  return z.object({
    id: z.number(),
    runId: z.number(),
    type: z.literal(type),
    payload: RUN_EVENT_KINDS[type].stored as Kinds[T]["stored"],
    createdAt: z.date(),
  });
}

/** A stored event, typed by its `type`. */
export const runEventSchema = z.discriminatedUnion("type", [
  eventOf("run.queued"),
  eventOf("run.started"),
  eventOf("run.finished"),
  eventOf("run.interrupted"),
  eventOf("run.resumed"),
  eventOf("model.started"),
  eventOf("model.finished"),
  eventOf("model.limitChanged"),
  eventOf("model.skipRequested"),
  eventOf("probe.started"),
  eventOf("probe.loadProgress"),
  eventOf("probe.finished"),
  eventOf("warning"),
  eventOf("log"),
]);
export type RunEvent = z.output<typeof runEventSchema>;

/** Walks `path` into a value that failed to parse, to tell a missing field from a wrong one. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function describeIssues(input: unknown, error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.join(".");
      if (issue.path.length > 0 && valueAt(input, issue.path) === undefined) return `${where} is missing`;
      return `${where ? `${where}: ` : ""}${issue.message}`;
    })
    .join("; ");
}

/** A stored row read as a typed event, or what is wrong with it ("… payload.modelKey is missing"). */
export function readRunEvent(row: RunEventRow): { event: RunEvent } | { problem: string } {
  const parsed = runEventSchema.safeParse(row);
  if (parsed.success) return { event: parsed.data };
  return {
    problem: `Event #${row.id} (${row.type}) does not fit its kind: ${describeIssues(row, parsed.error)}`,
  };
}

/** A stored row read as a typed event; null when it does not fit (an unknown kind, a field missing or wrong). */
export function parseRunEvent(row: RunEventRow): RunEvent | null {
  const read = readRunEvent(row);
  return "event" in read ? read.event : null;
}
