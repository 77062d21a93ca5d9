import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { createTRPCRouter, publicProcedure } from "../trpc";

export const modelRouter = createTRPCRouter({
  /** Every model on every host with its current test summary; the table sorts and filters in the browser. */
  list: publicProcedure
    .input(z.object({ hostId: z.number().int().positive().optional() }).optional())
    .query(async ({ ctx, input }) => {
      const { db } = await ctx.services();
      const rows = await db.prisma.model.findMany({
        where: { hostId: input?.hostId },
        orderBy: [{ host: { name: "asc" } }, { modelKey: "asc" }],
        select: {
          id: true,
          modelKey: true,
          displayName: true,
          type: true,
          sizeBytes: true,
          declaredContext: true,
          loadableLimit: true,
          effectiveLimit: true,
          lastGoodContext: true,
          lastBadContext: true,
          testStatus: true,
          lastTestedAt: true,
          errorCategory: true,
          isPresent: true,
          host: { select: { id: true, name: true } },
        },
      });
      return rows.map(({ sizeBytes, ...row }) => ({ ...row, sizeBytes: Number(sizeBytes) }));
    }),

  /** One model: its facts, every probe over time, and the runs that tested it. */
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
    const probes = await db.prisma.probe.findMany({
      where: { modelId: input.id },
      orderBy: { startedAt: "asc" },
      take: 5_000,
      select: {
        id: true,
        runId: true,
        kind: true,
        contextRequested: true,
        contextApplied: true,
        outcome: true,
        errorCategory: true,
        errorMessage: true,
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
    const runIds = [...new Set(probes.map((probe) => probe.runId))];
    const runs = await db.prisma.run.findMany({
      where: { id: { in: runIds } },
      orderBy: { id: "desc" },
      select: { id: true, status: true, mode: true, startedBy: true, createdAt: true, finishedAt: true },
    });
    return { model: { ...model, sizeBytes: Number(model.sizeBytes) }, probes, runs };
  }),
});
