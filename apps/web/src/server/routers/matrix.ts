import { fitQuerySchema } from "@lmstrix/core";
import { readFitResults, readMatrixPage } from "../read-models/matrix";
import { createTRPCRouter, serviceProcedure } from "../trpc";

/** Both answer JSON text (`fromJsonText` reads it): at 1,000 models × 5 hosts superjson alone took most of 300 ms. */
export const matrixRouter = createTRPCRouter({
  /** Models (grouped by base model) × hosts, each cell with its limits, speed, share and staleness. */
  get: serviceProcedure.query(({ ctx }) => readMatrixPage(ctx.app.db)),

  /** Which model on which host serves `tokens` of context at `minTokensPerSec` or faster, best first. */
  fit: serviceProcedure.input(fitQuerySchema).query(({ ctx, input }) => readFitResults(ctx.app.db, input)),
});
