import path from "node:path";
import {
  applyCommandFor,
  applyLimit,
  type Host,
  LIMIT_KINDS,
  lmstudioHomeOf,
  measuredLimit,
  noneFoundReason,
  undoAppliedLimit,
} from "@lmstrix/core";
import { createLmStudioSettings } from "@lmstrix/lmstudio-adapter";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { readModelKey } from "../read-models/model-page";
import type { Services } from "../services";
import { serviceProcedure } from "../trpc";

/** LM Studio's settings on the server's machine; backups go beside the database's snapshots. */
function settingsOf(app: Services) {
  return createLmStudioSettings({ backupDir: path.join(app.db.dataDir, "lmstudio-backups") });
}

async function modelAndHost(app: Services, modelId: number): Promise<{ modelKey: string; host: Host }> {
  const row = await readModelKey(app.db, modelId);
  const host = row && (await app.store.getHost(row.hostId));
  if (!row || !host) throw new TRPCError({ code: "NOT_FOUND", message: `No model with id ${modelId}` });
  return { modelKey: row.modelKey, host };
}

const applyInput = z.object({ modelId: z.number().int().positive(), limit: z.enum(LIMIT_KINDS) });

/** The Model page's "Apply to LM Studio": preview (what would change), apply, undo. Part of the model router. */
export const applyProcedures = {
  /**
   * What applying would change, or why it cannot be done from here: the host's LM Studio home is not on the
   * server's machine (then the command to run there), or the limit is not measured yet.
   */
  applyPreview: serviceProcedure.input(applyInput).query(async ({ ctx: { app }, input }) => {
    const { modelKey, host } = await modelAndHost(app, input.modelId);
    const settings = settingsOf(app);
    const command = applyCommandFor(host, modelKey, input.limit);
    if (lmstudioHomeOf(host, settings) === null)
      return { state: "elsewhere" as const, host: host.name, command };
    const model = await app.store.getModel(host.id, modelKey);
    if (!model || (await measuredLimit(app.store, model, input.limit)) === null) {
      // An effective search that found none is a result: the dialog says so, not "test it first".
      const reason = model && noneFoundReason(model, input.limit);
      return { state: "unmeasured" as const, host: host.name, command, noneFoundReason: reason ?? null };
    }
    const result = await applyLimit(
      { store: app.store, settings },
      { host, modelKey, limit: input.limit, dryRun: true },
    );
    return { state: "ready" as const, host: host.name, command, change: result.change };
  }),

  /** Writes the limit as LM Studio's default context length for the model (after a backup). */
  applyLimit: serviceProcedure
    .meta({ failure: "Could not apply the limit to LM Studio" })
    .input(applyInput)
    .mutation(async ({ ctx: { app }, input }) => {
      const { modelKey, host } = await modelAndHost(app, input.modelId);
      const result = await applyLimit(
        { store: app.store, settings: settingsOf(app) },
        { host, modelKey, limit: input.limit, dryRun: false },
      );
      // Narrows the result to the written change (with its backup); a dry run was not asked for.
      if (result.dryRun)
        throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "Nothing was written" });
      return { change: result.change, contextLength: result.contextLength };
    }),

  /** Puts LM Studio's settings file back as it was before the last apply. */
  undoApply: serviceProcedure
    .meta({ failure: "Could not undo the apply" })
    .input(z.object({ modelId: z.number().int().positive() }))
    .mutation(async ({ ctx: { app }, input }) => {
      const { modelKey, host } = await modelAndHost(app, input.modelId);
      return undoAppliedLimit({ store: app.store, settings: settingsOf(app) }, { host, modelKey });
    }),
};
