import {
  cancelRun,
  DEFAULT_RECALL_THRESHOLD,
  DuplicateRunError,
  enqueueRun,
  modelKeySchema,
  type RunMode,
  requestModelSkip,
  runOptionsSchema,
  runStatusSchema,
  SkipRefusedError,
} from "@lmstrix/core";
import { hostTimings } from "@lmstrix/db";
import { TRPCError, tracked } from "@trpc/server";
import { z } from "zod";
import { followTypedRunEvents } from "../run-events";
import { createTRPCRouter, publicProcedure } from "../trpc";

const runId = z.object({ id: z.number().int().positive() });

const startInput = z
  .object({
    hostId: z.number().int().positive(),
    /** Models to test; empty with `all` means every untested LLM on the host. */
    modelKeys: runOptionsSchema.shape.modelKeys,
    all: z.boolean().default(false),
    options: runOptionsSchema.omit({ modelKeys: true }).partial().default({}),
  })
  .superRefine((input, ctx) => {
    // Combinations the CLI refuses too: each would start a run that silently ignores part of the request.
    if (input.all && input.modelKeys.length > 0) {
      ctx.addIssue({
        code: "custom",
        path: ["modelKeys"],
        message: "give either model keys or all, not both",
      });
    }
    if (input.options.effective && input.options.fixedContext !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["options", "effective"],
        message: "the effective search does not combine with a fixed context",
      });
    }
    // (Options arrive with their defaults filled in: only a recall share other than the default was asked for.)
    const recall = input.options.recallThreshold;
    if (recall !== undefined && recall !== DEFAULT_RECALL_THRESHOLD && !input.options.effective) {
      ctx.addIssue({
        code: "custom",
        path: ["options", "recallThreshold"],
        message: "recallThreshold needs effective: true",
      });
    }
  });

export const runRouter = createTRPCRouter({
  /** Newest runs first (optionally of one host, or with one status), with how far each got. */
  list: publicProcedure
    .input(
      z
        .object({
          hostId: z.number().int().positive().optional(),
          status: runStatusSchema.optional(),
          take: z.number().int().min(1).max(500).default(100),
        })
        .optional(),
    )
    .query(async ({ ctx, input }) => {
      const { db } = await ctx.services();
      return db.prisma.run.findMany({
        where: { hostId: input?.hostId, status: input?.status },
        orderBy: { id: "desc" },
        take: input?.take ?? 100,
        select: {
          id: true,
          status: true,
          mode: true,
          startedBy: true,
          message: true,
          createdAt: true,
          startedAt: true,
          finishedAt: true,
          host: { select: { id: true, name: true } },
          _count: { select: { probes: true } },
        },
      });
    }),

  get: publicProcedure.input(runId).query(async ({ ctx, input }) => {
    const { db } = await ctx.services();
    const run = await db.prisma.run.findUnique({
      where: { id: input.id },
      select: {
        id: true,
        status: true,
        mode: true,
        optionsJson: true,
        startedBy: true,
        message: true,
        createdAt: true,
        startedAt: true,
        finishedAt: true,
        host: { select: { id: true, name: true, url: true } },
      },
    });
    if (!run) throw new TRPCError({ code: "NOT_FOUND", message: `No run with id ${input.id}` });
    const { optionsJson, ...rest } = run;
    return { ...rest, options: runOptionsSchema.parse(JSON.parse(optionsJson)) };
  }),

  /** Queues a run; the host's worker starts it when the host is free. */
  start: publicProcedure.input(startInput).mutation(async ({ ctx, input }) => {
    const { store, worker } = await ctx.services();
    const host = await store.getHost(input.hostId);
    if (!host) throw new TRPCError({ code: "NOT_FOUND", message: `No host with id ${input.hostId}` });
    if (!input.all && input.modelKeys.length === 0) {
      throw new TRPCError({ code: "BAD_REQUEST", message: "Choose at least one model, or test all" });
    }
    for (const key of input.modelKeys) {
      if (!(await store.getModel(host.id, key))) {
        throw new TRPCError({
          code: "NOT_FOUND",
          message: `No model "${key}" on host ${host.name}; scan the host first`,
        });
      }
    }
    const mode: RunMode = input.all
      ? "all"
      : input.options.fixedContext !== undefined
        ? "fixed-ctx"
        : "single";
    const options = runOptionsSchema.parse({ ...input.options, modelKeys: input.all ? [] : input.modelKeys });
    const run = await enqueueRun(store, { hostId: host.id, mode, options, startedBy: ctx.userName }).catch(
      (error: unknown) => {
        // The same "test all" is already queued or running: a second one would only repeat it.
        if (error instanceof DuplicateRunError)
          throw new TRPCError({ code: "CONFLICT", message: error.message, cause: error });
        throw error;
      },
    );
    worker.poke();
    return { id: run.id };
  }),

  /**
   * "Skip this model": the model in flight ends as skipped and the run goes on. Works whichever process drives
   * the run (this server or a CLI): its worker reads the request at its next heartbeat.
   */
  skipModel: publicProcedure
    .input(z.object({ id: z.number().int().positive(), modelKey: modelKeySchema }))
    .mutation(async ({ ctx, input }) => {
      const { store } = await ctx.services();
      try {
        await requestModelSkip(store, { runId: input.id, modelKey: input.modelKey, by: ctx.userName });
      } catch (error) {
        if (!(error instanceof SkipRefusedError)) throw error;
        const code = error.refusal === "unknown-run" ? "NOT_FOUND" : "CONFLICT";
        throw new TRPCError({ code, message: error.message, cause: error });
      }
      return { id: input.id, modelKey: input.modelKey };
    }),

  /** What the host's earlier runs say about its speed (for the run's time left until it has its own figures). */
  hostTimings: publicProcedure.input(runId).query(async ({ ctx, input }) => {
    const { db, store } = await ctx.services();
    const run = await store.getRun(input.id);
    if (!run) throw new TRPCError({ code: "NOT_FOUND", message: `No run with id ${input.id}` });
    return hostTimings(db.prisma, run.hostId, run.id);
  }),

  cancel: publicProcedure.input(runId).mutation(async ({ ctx, input }) => {
    const { store } = await ctx.services();
    const run = await cancelRun(store, input.id);
    if (!run) throw new TRPCError({ code: "NOT_FOUND", message: `No run with id ${input.id}` });
    return { id: run.id, status: run.status };
  }),

  /**
   * A run's events over server-sent events. Each carries its id, so a client that reconnects (or reloads)
   * with `lastEventId` gets exactly the events it missed.
   */
  onEvents: publicProcedure
    .input(
      z.object({ runId: z.number().int().positive(), lastEventId: z.coerce.number().int().min(0).nullish() }),
    )
    .subscription(async function* ({ ctx, input, signal }) {
      const { store } = await ctx.services();
      for await (const event of followTypedRunEvents(store, input.runId, input.lastEventId ?? 0, signal)) {
        yield tracked(String(event.id), event);
      }
    }),
});
