import { TRPCError, tracked } from "@trpc/server";
import { z } from "zod";
import { followModelChanges } from "../model-changes";
import { readModelRows } from "../model-rows";
import { createTRPCRouter, publicProcedure } from "../trpc";

/** How many of a model's probes its page gets: the newest ones. */
export const PROBE_HISTORY_LIMIT = 1_000;

export const modelRouter = createTRPCRouter({
  /** Every model on every host with its current test summary; the table sorts and filters in the browser. */
  list: publicProcedure
    .input(z.object({ hostId: z.number().int().positive().optional() }).optional())
    .query(async ({ ctx, input }) => {
      const { db } = await ctx.services();
      return readModelRows(db.prisma, { hostId: input?.hostId });
    }),

  /** One model: its facts, its latest probes (oldest first) with their total, and the runs that made them. */
  get: publicProcedure.input(z.object({ id: z.number().int().positive() })).query(async ({ ctx, input }) => {
    const { db } = await ctx.services();
    const model = await db.prisma.model.findUnique({
      where: { id: input.id },
      select: {
        id: true,
        modelKey: true,
        displayName: true,
        type: true,
        format: true,
        publisher: true,
        path: true,
        sizeBytes: true,
        architecture: true,
        quantization: true,
        params: true,
        declaredContext: true,
        vision: true,
        toolUse: true,
        isPresent: true,
        firstSeenAt: true,
        lastSeenAt: true,
        testStatus: true,
        loadableLimit: true,
        effectiveLimit: true,
        lastGoodContext: true,
        lastBadContext: true,
        lastTestedAt: true,
        errorCategory: true,
        errorMessage: true,
        host: { select: { id: true, name: true } },
      },
    });
    if (!model) throw new TRPCError({ code: "NOT_FOUND", message: `No model with id ${input.id}` });
    // The latest PROBE_HISTORY_LIMIT, newest first from the (modelId, startedAt) index, then put back in time
    // order. A favourite model re-tested for months has thousands of probes, and loading them all made this
    // page's request take 250-400 ms and 2.4 MB (docs/benchmarks.md, "Web server").
    const latest = await db.prisma.probe.findMany({
      where: { modelId: input.id },
      orderBy: { startedAt: "desc" },
      take: PROBE_HISTORY_LIMIT,
      select: {
        id: true,
        runId: true,
        kind: true,
        contextRequested: true,
        contextApplied: true,
        outcome: true,
        errorCategory: true,
        errorMessage: true,
        prompt: true,
        expectedAnswer: true,
        reply: true,
        loadMs: true,
        timeToFirstTokenMs: true,
        promptTokensPerSec: true,
        genTokensPerSec: true,
        promptTokens: true,
        recall: true,
        promptTokensSent: true,
        isTruncated: true,
        startedAt: true,
        finishedAt: true,
      },
    });
    // Only a capped list needs the real total, so that the page can say how many it does not show.
    const probeTotal =
      latest.length < PROBE_HISTORY_LIMIT
        ? latest.length
        : await db.prisma.probe.count({ where: { modelId: input.id } });
    const probes = latest.reverse();
    const runIds = [...new Set(probes.map((probe) => probe.runId))];
    const runs = await db.prisma.run.findMany({
      where: { id: { in: runIds } },
      orderBy: { id: "desc" },
      select: { id: true, status: true, mode: true, startedBy: true, createdAt: true, finishedAt: true },
    });
    return { model: { ...model, sizeBytes: Number(model.sizeBytes) }, probes, probeTotal, runs };
  }),

  /**
   * The `list` rows that runs change (status, limits), live over server-sent events: the Models page patches
   * its table with them instead of reading it again. Each message carries the event id it is up to, so a client
   * that reconnects with `lastEventId` gets what it missed.
   */
  onChanges: publicProcedure
    .input(z.object({ lastEventId: z.coerce.number().int().min(0).nullish() }).optional())
    .subscription(async function* ({ ctx, input, signal }) {
      const { db } = await ctx.services();
      for await (const { eventId, change } of followModelChanges(
        db.prisma,
        input?.lastEventId ?? null,
        signal,
      )) {
        yield tracked(String(eventId), change);
      }
    }),
});
