import { createSnapshot, importRegistryText, listSnapshots, restoreSnapshot } from "@lmstrix/db";
import { z } from "zod";
import { env } from "~/env";
import { toTrpcError } from "../errors";
import { createTRPCRouter, publicProcedure } from "../trpc";

/** lmstrix refuses registries over 50 MB; the request may carry a little more so that its own message shows. */
const MAX_IMPORT_CHARS = 52 * 1024 * 1024;

/**
 * Imports run one after another: a 50 MB registry takes a few hundred MB while it is parsed and written, and the
 * server's heap is capped at 1 GB (scripts/start-dashboard.ts). They are one transaction each anyway.
 */
let importQueue: Promise<unknown> = Promise.resolve();
function oneImportAtATime<T>(task: () => Promise<T>): Promise<T> {
  const result = importQueue.then(task, task);
  importQueue = result.catch(() => {});
  return result;
}

export const dataRouter = createTRPCRouter({
  snapshots: publicProcedure.query(async ({ ctx }) => {
    const { db } = await ctx.services();
    return listSnapshots(db);
  }),

  createSnapshot: publicProcedure.mutation(async ({ ctx }) => {
    const { db } = await ctx.services();
    try {
      return await createSnapshot(db, "manual", { keep: env().LMSTRIX_SNAPSHOT_KEEP });
    } catch (error) {
      throw toTrpcError(error, "Could not take a snapshot");
    }
  }),

  /** Brings back a snapshot's data in place (the server keeps running); refused while a run is running. */
  restoreSnapshot: publicProcedure
    .input(z.object({ name: z.string().min(1).max(255) }))
    .mutation(async ({ ctx, input }) => {
      const { db } = await ctx.services();
      try {
        const result = await restoreSnapshot(db, input.name, { keep: env().LMSTRIX_SNAPSHOT_KEEP });
        return { restored: input.name, beforeRestore: result.beforeRestore.name };
      } catch (error) {
        throw toTrpcError(error, "Could not restore the snapshot");
      }
    }),

  /** Imports an lmstrix.json registry (or the older lmsm.json) into a host; `dryRun` only says what would change. */
  importRegistry: publicProcedure
    .input(
      z.object({
        hostId: z.number().int().positive(),
        fileName: z.string().max(255).default("upload.json"),
        text: z.string().max(MAX_IMPORT_CHARS, "The file is larger than 50 MB"),
        dryRun: z.boolean().default(false),
        skipInvalid: z.boolean().default(false),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { db } = await ctx.services();
      try {
        const result = await oneImportAtATime(() =>
          importRegistryText(db, input.hostId, input.text, {
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
      } catch (error) {
        throw toTrpcError(error, "Could not import the file");
      }
    }),
});
