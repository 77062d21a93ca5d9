import { nothingStaleMessage, retestStale } from "@lmstrix/core";
import { z } from "zod";
import { readLimitChanges } from "../read-models/limit-changes";
import { createTRPCRouter, serviceProcedure } from "../trpc";

export const changesRouter = createTRPCRouter({
  /** Limit changes re-tests found, newest first; of one host and one direction when asked. */
  list: serviceProcedure
    .input(
      z
        .object({
          hostId: z.number().int().positive().optional(),
          direction: z.enum(["regression", "improvement"]).optional(),
          take: z.number().int().min(1).max(1_000).default(200),
        })
        .optional(),
    )
    .query(({ ctx, input }) =>
      readLimitChanges(ctx.app.db, {
        hostId: input?.hostId,
        direction: input?.direction,
        take: input?.take ?? 200,
      }),
    ),

  /**
   * "Re-test stale": one run per host (or only `hostId`) over the models whose results were measured under
   * another LM Studio version or model file. `message` says what was queued, or that nothing is stale.
   */
  retestStale: serviceProcedure
    .input(
      z
        .object({
          hostId: z.number().int().positive().optional(),
          cooldownMs: z.number().int().min(0).max(600_000).optional(),
        })
        .optional(),
    )
    .mutation(async ({ ctx: { app, userName }, input }) => {
      const hosts = (await app.store.listHosts()).filter(
        (host) => input?.hostId === undefined || host.id === input.hostId,
      );
      const runs = await retestStale(app.store, hosts, userName, { cooldownMs: input?.cooldownMs });
      if (runs.length > 0) app.worker.poke();
      const single = input?.hostId !== undefined ? hosts[0]?.name : undefined;
      const message =
        runs.length === 0
          ? nothingStaleMessage(single)
          : runs
              .map(
                (run) =>
                  `Run #${run.runId} on ${run.hostName}: ${run.modelKeys.length} stale ${run.modelKeys.length === 1 ? "model" : "models"}`,
              )
              .join("; ");
      return { runs, message };
    }),
});
