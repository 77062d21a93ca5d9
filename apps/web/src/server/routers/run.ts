import { createTRPCRouter, publicProcedure } from "../trpc";

export const runRouter = createTRPCRouter({
  /** Newest runs first, across hosts. */
  list: publicProcedure.query(async ({ ctx }) => {
    const { prisma } = await ctx.db();
    return prisma.run.findMany({
      orderBy: { id: "desc" },
      take: 100,
      select: {
        id: true,
        status: true,
        mode: true,
        startedBy: true,
        createdAt: true,
        startedAt: true,
        finishedAt: true,
        host: { select: { name: true } },
        _count: { select: { probes: true } },
      },
    });
  }),
});
