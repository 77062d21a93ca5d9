import { addSchedule, newScheduleSchema, removeSchedule, setScheduleEnabled } from "@lmstrix/core";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { createTRPCRouter, serviceProcedure } from "../trpc";

const scheduleId = z.object({ id: z.number().int().positive() });

/** Schedules of hosts: the dashboard's worker queues their runs (cron in the server's local time). */
export const scheduleRouter = createTRPCRouter({
  list: serviceProcedure
    .input(z.object({ hostId: z.number().int().positive().optional() }).optional())
    .query(({ ctx, input }) => ctx.app.schedules.listSchedules({ hostId: input?.hostId })),

  /** A bad cron expression or action is refused as bad input on that field (`cron`, `action`). */
  create: serviceProcedure
    .meta({ failure: "Could not add the schedule" })
    .input(newScheduleSchema)
    .mutation(({ ctx, input }) =>
      addSchedule(ctx.app.schedules, ctx.app.store, input, ctx.app.scheduler.now()),
    ),

  update: serviceProcedure
    .input(scheduleId.extend({ enabled: z.boolean() }))
    .mutation(({ ctx, input }) => setScheduleEnabled(ctx.app.schedules, input.id, input.enabled)),

  delete: serviceProcedure.input(scheduleId).mutation(async ({ ctx, input }) => {
    await removeSchedule(ctx.app.schedules, input.id);
    return { id: input.id };
  }),

  /**
   * Tests only (the server started with LMSTRIX_TEST_CLOCK): moves the scheduler's clock and fires what is due
   * then. Without a test clock there is no such procedure, as far as a caller can tell.
   */
  setTestTime: serviceProcedure
    .input(z.object({ at: z.iso.datetime({ offset: true }) }))
    .mutation(async ({ ctx: { app }, input }) => {
      if (!app.scheduler.hasTestClock)
        throw new TRPCError({ code: "NOT_FOUND", message: "No such procedure" });
      const firings = await app.scheduler.setTestTime(new Date(input.at));
      app.worker.poke();
      return firings;
    }),
});
