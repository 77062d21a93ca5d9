import { checkWebHealth } from "../health";
import { createTRPCRouter, publicProcedure } from "../trpc";

export const healthRouter = createTRPCRouter({
  get: publicProcedure.query(({ ctx }) => checkWebHealth(ctx.db)),
});
