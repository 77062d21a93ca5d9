import { z } from "zod";
import { createTRPCRouter, publicProcedure } from "../trpc";

export const modelRouter = createTRPCRouter({
  /** Every model on every host, with its current test summary. */
  list: publicProcedure
    .input(z.object({ hostId: z.number().int().positive().optional() }).optional())
    .query(async ({ ctx, input }) => {
      const { prisma } = await ctx.db();
      const rows = await prisma.model.findMany({
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
          lastGoodContext: true,
          lastBadContext: true,
          testStatus: true,
          lastTestedAt: true,
          isPresent: true,
          host: { select: { id: true, name: true } },
        },
      });
      return rows.map(({ sizeBytes, ...row }) => ({ ...row, sizeBytes: Number(sizeBytes) }));
    }),
});
