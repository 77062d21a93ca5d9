import { createTRPCRouter, publicProcedure } from "../trpc";

export const hostRouter = createTRPCRouter({
  list: publicProcedure.query(async ({ ctx }) => {
    const { prisma } = await ctx.db();
    return prisma.host.findMany({
      orderBy: { name: "asc" },
      select: { id: true, name: true, url: true, enabled: true, _count: { select: { models: true } } },
    });
  }),
});
