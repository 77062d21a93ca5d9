import { fitQuerySchema } from "@lmstrix/core";
import { readFits, readMatrix } from "../read-models/matrix";
import { createTRPCRouter, serviceProcedure } from "../trpc";

export const matrixRouter = createTRPCRouter({
  /** Models (grouped by base model) × hosts, each cell with its limits, speed, share and staleness. */
  get: serviceProcedure.query(({ ctx }) => readMatrix(ctx.app.db)),

  /** Which model on which host serves `tokens` of context at `minTokensPerSec` or faster, best first. */
  fit: serviceProcedure.input(fitQuerySchema).query(({ ctx, input }) => readFits(ctx.app.db, input)),
});
