import {
  addHost,
  editHost,
  HostBusyError,
  hostNameSchema,
  hostUrlSchema,
  isLmstrixError,
  isRuntimeError,
  lmstudioHomeSchema,
  removeHost,
  scanHost,
} from "@lmstrix/core";
import { lmstudioHomeProblem } from "@lmstrix/core/lmstudio-home";
import { createSnapshot } from "@lmstrix/db";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { env } from "~/env";
import { lmstrixToTrpc } from "../errors";
import { readHostList } from "../read-models/hosts";
import { createTRPCRouter, hostByIdProcedure, serviceProcedure } from "../trpc";

/** A status check must answer quickly: a host that is down is shown as down, not as a spinner. */
const STATUS_TIMEOUT_MS = 4_000;

/** A host refused as given (its name taken, its LM Studio home no folder here): the use case's own words. */
function refused(error: unknown): never {
  if (isLmstrixError(error)) throw lmstrixToTrpc(error);
  throw error;
}

export const hostRouter = createTRPCRouter({
  list: serviceProcedure.query(({ ctx }) => readHostList(ctx.app.db)),

  /** Whether LM Studio answers, its version, and what is loaded there now. */
  status: hostByIdProcedure.query(async ({ ctx: { app, host } }) => {
    const runtime = app.runtimes.for(host);
    try {
      const version = await runtime.version({ timeoutMs: STATUS_TIMEOUT_MS });
      const loaded = await runtime.listLoaded({ timeoutMs: STATUS_TIMEOUT_MS });
      return { reachable: true as const, version: version.version, loaded, error: null };
    } catch (error) {
      // Down is an answer here, not a failure: the Hosts page shows why.
      const message = error instanceof Error ? error.message : String(error);
      const isUnreachable = isRuntimeError(error) && error.category === "UNREACHABLE";
      return {
        reachable: false as const,
        version: null,
        loaded: [],
        error: isUnreachable
          ? `LM Studio is not answering at ${host.url} (${message}). Start LM Studio and its local server, or check the URL.`
          : message,
      };
    }
  }),

  create: serviceProcedure
    .input(z.object({ name: hostNameSchema, url: hostUrlSchema, lmstudioHome: lmstudioHomeSchema.nullish() }))
    .mutation(({ ctx, input }) => addHost(ctx.app.store, input, lmstudioHomeProblem).catch(refused)),

  update: hostByIdProcedure
    .input(
      z.object({
        name: hostNameSchema.optional(),
        url: hostUrlSchema.optional(),
        enabled: z.boolean().optional(),
        /** The host's LM Studio home on the server's machine (where Apply writes); null: not there. */
        lmstudioHome: lmstudioHomeSchema.nullable().optional(),
      }),
    )
    .mutation(async ({ ctx, input: { id, ...patch } }) => {
      const host = await editHost(ctx.app.store, id, patch, {
        checkHome: lmstudioHomeProblem,
        leaseStaleMs: env().LMSTRIX_LEASE_STALE_MS,
      }).catch(refused);
      if (!host) throw new TRPCError({ code: "NOT_FOUND", message: `No host with id ${id}` });
      return host;
    }),

  /** Removes a host with its models and history; refused while one of its runs is running. */
  delete: hostByIdProcedure.mutation(async ({ ctx: { app, host } }) => {
    try {
      // A host takes its models and their whole history with it: a snapshot first, to go back to.
      await removeHost(app.store, host, env().LMSTRIX_LEASE_STALE_MS, () =>
        createSnapshot(app.db, "before-remove", { keep: env().LMSTRIX_SNAPSHOT_KEEP }),
      );
    } catch (error) {
      if (!(error instanceof HostBusyError)) throw error;
      throw new TRPCError({ code: "CONFLICT", message: "A run is running on this host; cancel it first" });
    }
    await app.runtimes.forget(host.id);
    return { id: host.id };
  }),

  /** Reads the host's downloaded models into the database: new, changed and gone ones. */
  scan: hostByIdProcedure
    .meta({ failure: "Could not scan {host}" })
    .mutation(async ({ ctx: { app, host } }) => {
      const { sync } = await scanHost(app.runtimes.for(host), async () => ({
        store: app.store,
        hostId: host.id,
      }));
      return sync;
    }),
});
