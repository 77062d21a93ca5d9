import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { createTRPCRouter, publicProcedure } from "../trpc";

/** How many of a model's probes its page gets: the newest ones. */
export const PROBE_HISTORY_LIMIT = 1_000;

export const modelRouter = createTRPCRouter({
  /** Every model on every host with its current test summary; the table sorts and filters in the browser. */
  list: publicProcedure
    .input(z.object({ hostId: z.number().int().positive().optional() }).optional())
    .query(async ({ ctx, input }) => {
      const { db } = await ctx.services();
      // Flat rows and the (few) hosts apart, sorted here: Prisma's nested `host` select plus an ORDER BY on the
      // relation cost about twice as much per row (docs/benchmarks.md, "Web server").
      const [hosts, models] = await Promise.all([
        db.prisma.host.findMany({ where: { id: input?.hostId }, select: { id: true, name: true } }),
        db.prisma.model.findMany({
          where: { hostId: input?.hostId },
          select: {
            id: true,
            hostId: true,
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
          },
        }),
      ]);
      const hostById = new Map(hosts.map((host) => [host.id, host]));
      const rows = models.flatMap(({ hostId, ...model }) => {
        const host = hostById.get(hostId);
        return host ? [{ ...model, host }] : [];
      });
      // Host name, then key, in SQLite's binary order (as the ORDER BY gave them).
      const binary = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
      rows.sort((a, b) => binary(a.host.name, b.host.name) || binary(a.modelKey, b.modelKey));
      return rows.map(({ sizeBytes, ...row }) => ({ ...row, sizeBytes: Number(sizeBytes) }));
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
});
