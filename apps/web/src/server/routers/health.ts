import { env } from "~/env";
import { checkWebHealth } from "../health";
import { createTRPCRouter, publicProcedure } from "../trpc";

export const healthRouter = createTRPCRouter({
  // The database alone, opened lazily: the Health page must answer (with the error) when it cannot be opened.
  get: publicProcedure.query(({ ctx }) => checkWebHealth(ctx.db)),
  /** Whether the dashboard needs signing in (team mode), and under which name this browser is signed in. */
  session: publicProcedure.query(({ ctx }) => ({
    teamMode: Boolean(env().LMSTRIX_TOKEN),
    name: ctx.userName,
  })),
});
