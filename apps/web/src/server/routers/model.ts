import { TRPCError, tracked } from "@trpc/server";
import { z } from "zod";
import { followModelChanges } from "../model-changes";
import { COMPARE_MAX_MODELS, COMPARE_MIN_MODELS, readModelComparison } from "../read-models/model-comparison";
import { readModelPage } from "../read-models/model-page";
import { readModelRows } from "../read-models/model-rows";
import { createTRPCRouter, serviceProcedure } from "../trpc";
import { applyProcedures } from "./apply-procedures";

export const modelRouter = createTRPCRouter({
  ...applyProcedures,

  /** Every model on every host with its current test summary; the table sorts and filters in the browser. */
  list: serviceProcedure
    .input(z.object({ hostId: z.number().int().positive().optional() }).optional())
    .query(({ ctx, input }) => readModelRows(ctx.app.db, { hostId: input?.hostId })),

  /** One model: its facts, its latest probes (oldest first) with their total, and the runs that made them. */
  get: serviceProcedure.input(z.object({ id: z.number().int().positive() })).query(async ({ ctx, input }) => {
    const page = await readModelPage(ctx.app.db, input.id);
    if (!page) throw new TRPCError({ code: "NOT_FOUND", message: `No model with id ${input.id}` });
    return page;
  }),

  /**
   * 2–4 models side by side (any hosts), in the order asked: their limits, newest probes and hosts, for the
   * Compare page. An id no model has is NOT_FOUND, naming it.
   */
  compare: serviceProcedure
    .input(
      z.object({
        ids: z
          .array(z.number().int().positive())
          .min(COMPARE_MIN_MODELS, `Compare at least ${COMPARE_MIN_MODELS} models`)
          .max(COMPARE_MAX_MODELS, `Compare at most ${COMPARE_MAX_MODELS} models`)
          .refine((ids) => new Set(ids).size === ids.length, "Each model can be compared only once"),
      }),
    )
    .query(async ({ ctx, input }) => {
      const comparison = await readModelComparison(ctx.app.db, input.ids);
      const [first, ...more] = comparison.missingIds;
      if (first !== undefined) {
        const message =
          more.length === 0
            ? `No model with id ${first}`
            : `No models with ids ${[first, ...more].join(", ")}`;
        throw new TRPCError({ code: "NOT_FOUND", message });
      }
      return comparison.models;
    }),

  /**
   * The `list` rows that runs change (status, limits), live over server-sent events: the Models page patches
   * its table with them instead of reading it again. Each message carries the event id it is up to, so a client
   * that reconnects with `lastEventId` gets what it missed.
   */
  onChanges: serviceProcedure
    .input(z.object({ lastEventId: z.coerce.number().int().min(0).nullish() }).optional())
    .subscription(async function* ({ ctx, input, signal }) {
      for await (const { eventId, change } of followModelChanges(
        ctx.app.db,
        input?.lastEventId ?? null,
        signal,
      )) {
        yield tracked(String(eventId), change);
      }
    }),
});
