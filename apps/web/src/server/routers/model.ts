import { TRPCError, tracked } from "@trpc/server";
import { z } from "zod";
import { followModelChanges } from "../model-changes";
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
