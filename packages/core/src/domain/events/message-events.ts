import { z } from "zod";
import { loadedModelSchema } from "../model";

// See run-lifecycle.ts for the two schemas of each event kind.

/** Messages about LM Studio going away and coming back carry the host and the state of the wait. */
const hostWaitFields = {
  hostUrl: z.string().optional(),
  hostWait: z.enum(["waiting", "back"]).optional(),
};

export const warningPayload = z.object({
  message: z.string(),
  modelKey: z.string().optional(),
  context: z.number().optional(),
  /** Loads near the last known bad size: `high` when the load may crash the machine. */
  level: z.enum(["high", "medium"]).optional(),
  /** Set when the warning comes from the apps' `beforeRun` hook. */
  stage: z.literal("beforeRun").optional(),
  /** Models found loaded at the start of a run. */
  models: z.array(loadedModelSchema).optional(),
  ...hostWaitFields,
});
// A reader shows a message-less row as its raw payload, so nothing is required of a stored one.
export const storedWarningPayload = warningPayload.partial();

export const logPayload = z.object({
  message: z.string(),
  /** The models a run is about to test, in order. */
  modelKeys: z.array(z.string()).optional(),
  /** Where an imported registry came from (null: not known). */
  source: z.string().nullable().optional(),
  ...hostWaitFields,
});
export const storedLogPayload = logPayload.partial();
