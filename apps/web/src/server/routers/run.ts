import {
  cancelRun,
  DuplicateRunError,
  enqueueRun,
  modelKeySchema,
  planRun,
  requestModelSkip,
  runRequestSchema,
  runStatusSchema,
  SkipRefusedError,
} from "@lmstrix/core";
import { hostTimings } from "@lmstrix/db";
import { TRPCError, tracked } from "@trpc/server";
import { z } from "zod";
import { env } from "~/env";
import { lmstrixToTrpc } from "../errors";
import { readRun, readRunList } from "../read-models/runs";
import { followTypedRunEvents } from "../run-events";
import { createTRPCRouter, hostProcedure, serviceProcedure } from "../trpc";

const runId = z.object({ id: z.number().int().positive() });

function noRun(id: number): never {
  throw new TRPCError({ code: "NOT_FOUND", message: `No run with id ${id}` });
}

export const runRouter = createTRPCRouter({
  /** Newest runs first (optionally of one host, or with one status), with how far each got. */
  list: serviceProcedure
    .input(
      z
        .object({
          hostId: z.number().int().positive().optional(),
          status: runStatusSchema.optional(),
          take: z.number().int().min(1).max(500).default(100),
        })
        .optional(),
    )
    .query(({ ctx, input }) =>
      readRunList(ctx.app.db, {
        hostId: input?.hostId,
        status: input?.status,
        take: input?.take ?? 100,
      }),
    ),

  get: serviceProcedure
    .input(runId)
    .query(async ({ ctx, input }) => (await readRun(ctx.app.db, input.id)) ?? noRun(input.id)),

  /** Queues a run; the host's worker starts it when the host is free. */
  start: hostProcedure.input(runRequestSchema).mutation(async ({ ctx: { app, host, userName }, input }) => {
    for (const key of input.modelKeys) {
      if (!(await app.store.getModel(host.id, key))) {
        throw new TRPCError({
          code: "NOT_FOUND",
          message: `No model "${key}" on host ${host.name}; scan the host first`,
        });
      }
    }
    const { mode, options } = planRun(input, { cooldownMs: env().LMSTRIX_COOLDOWN_MS });
    const run = await enqueueRun(app.store, { hostId: host.id, mode, options, startedBy: userName }).catch(
      (error: unknown) => {
        // The same "test all" is already queued or running: a second one would only repeat it.
        if (error instanceof DuplicateRunError) throw lmstrixToTrpc(error);
        throw error;
      },
    );
    app.worker.poke();
    return { id: run.id };
  }),

  /**
   * "Skip this model": the model in flight ends as skipped and the run goes on. Works whichever process drives
   * the run (this server or a CLI): its worker reads the request at its next heartbeat.
   */
  skipModel: serviceProcedure
    .input(z.object({ id: z.number().int().positive(), modelKey: modelKeySchema }))
    .mutation(async ({ ctx, input }) => {
      try {
        await requestModelSkip(ctx.app.store, {
          runId: input.id,
          modelKey: input.modelKey,
          by: ctx.userName,
        });
      } catch (error) {
        if (!(error instanceof SkipRefusedError)) throw error;
        throw lmstrixToTrpc(error);
      }
      return { id: input.id, modelKey: input.modelKey };
    }),

  /** What the host's earlier runs say about its speed (for the run's time left until it has its own figures). */
  hostTimings: serviceProcedure.input(runId).query(async ({ ctx: { app }, input }) => {
    const run = (await app.store.getRun(input.id)) ?? noRun(input.id);
    return hostTimings(app.db, run.hostId, run.id);
  }),

  cancel: serviceProcedure.input(runId).mutation(async ({ ctx, input }) => {
    const run =
      (await cancelRun(ctx.app.store, input.id, (ended) => ctx.app.notifier.runEnded(ended.id))) ??
      noRun(input.id);
    return { id: run.id, status: run.status };
  }),

  /**
   * A run's events over server-sent events. Each carries its id, so a client that reconnects (or reloads)
   * with `lastEventId` gets exactly the events it missed.
   */
  onEvents: serviceProcedure
    .input(
      z.object({ runId: z.number().int().positive(), lastEventId: z.coerce.number().int().min(0).nullish() }),
    )
    .subscription(async function* ({ ctx, input, signal }) {
      for await (const event of followTypedRunEvents(
        ctx.app.store,
        input.runId,
        input.lastEventId ?? 0,
        signal,
      )) {
        yield tracked(String(event.id), event);
      }
    }),
});
