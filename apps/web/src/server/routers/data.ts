import { createSnapshot, importRegistryText, listSnapshots, restoreSnapshot } from "@lmstrix/db";
import { z } from "zod";
import { env } from "~/env";
import { createTRPCRouter, serviceProcedure } from "../trpc";

/** lmstrix refuses registries over 50 MB; the request may carry a little more so that its own message shows. */
const MAX_IMPORT_CHARS = 52 * 1024 * 1024;

export const dataRouter = createTRPCRouter({
  snapshots: serviceProcedure.query(({ ctx }) => listSnapshots(ctx.app.db)),

  createSnapshot: serviceProcedure
    .meta({ failure: "Could not take a snapshot" })
    .mutation(({ ctx }) => createSnapshot(ctx.app.db, "manual", { keep: env().LMSTRIX_SNAPSHOT_KEEP })),

  /** Brings back a snapshot's data in place (the server keeps running); refused while a run is running. */
  restoreSnapshot: serviceProcedure
    .meta({ failure: "Could not restore the snapshot" })
    .input(z.object({ name: z.string().min(1).max(255) }))
    .mutation(async ({ ctx, input }) => {
      const result = await restoreSnapshot(ctx.app.db, input.name, { keep: env().LMSTRIX_SNAPSHOT_KEEP });
      return { restored: input.name, beforeRestore: result.beforeRestore.name };
    }),

  /** Imports an lmstrix.json registry (or the older lmsm.json) into a host; `dryRun` only says what would change. */
  // Not a hostProcedure: the import names an unknown host itself ("There is no host #9 to import into").
  importRegistry: serviceProcedure
    .meta({ failure: "Could not import the file" })
    .input(
      z.object({
        hostId: z.number().int().positive(),
        fileName: z.string().max(255).default("upload.json"),
        text: z.string().max(MAX_IMPORT_CHARS, "The file is larger than 50 MB"),
        dryRun: z.boolean().default(false),
        skipInvalid: z.boolean().default(false),
      }),
    )
    .mutation(async ({ ctx: { app }, input }) => {
      const result = await app.oneImportAtATime(() =>
        importRegistryText(app.db, input.hostId, input.text, {
          dryRun: input.dryRun,
          skipInvalid: input.skipInvalid,
          source: input.fileName,
          keep: env().LMSTRIX_SNAPSHOT_KEEP,
        }),
      );
      return {
        dryRun: result.dryRun,
        created: result.created.map((model) => model.modelKey),
        updated: result.updated.map((model) => model.modelKey),
        unchanged: result.unchanged.length,
        probesAdded: result.probesAdded,
        runId: result.runId,
        snapshot: result.snapshot,
        previousImportRunId: result.previousImportRunId,
        warnings: result.warnings.map((warning) => warning.message),
      };
    }),
});
