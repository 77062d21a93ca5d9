import "server-only";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z } from "zod";
import type { Context } from "./context";
import { toTrpcError } from "./errors";
import type { Services } from "./services";

export interface ProcedureMeta {
  /**
   * Said before the domain's own message when the procedure fails ("Could not take a snapshot: …");
   * `{host}` stands for the host's name in a procedure that loads one.
   */
  failure?: string;
}

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    transformer: superjson,
    errorFormatter({ shape, error }) {
      // Bad input comes back as field → messages, so the UI and scripts can say exactly what was wrong.
      // Only for bad input: a schema failing inside a procedure (stored data) is the server's fault, said as such.
      const badInput = error.code === "BAD_REQUEST" && error.cause instanceof z.ZodError ? error.cause : null;
      const zodError = badInput ? z.flattenError(badInput) : null;
      // Its own message would be a JSON dump of the issues; scripts get "options.threshold: …; hostId: …" instead.
      const message = badInput
        ? badInput.issues.map((issue) => `${issue.path.join(".") || "input"}: ${issue.message}`).join("; ")
        : shape.message;
      return { ...shape, message, data: { ...shape.data, zodError } };
    },
  });

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure;

/**
 * The one error-mapping step, last in each procedure's chain: a domain failure thrown by a procedure (tRPC wraps it
 * as an internal error) leaves as the API error its kind stands for, with the procedure's `failure` before its
 * message (`{host}` is the host's name where the chain loaded one).
 */
async function mapErrors<R extends { ok: true } | { ok: false; error: TRPCError }>(
  meta: ProcedureMeta | undefined,
  next: () => Promise<R>,
  hostName = "the host",
): Promise<R> {
  const result = await next();
  if (result.ok) return result;
  const { error } = result;
  if (error.code !== "INTERNAL_SERVER_ERROR" || error.cause === undefined || error.cause instanceof TRPCError)
    return result;
  throw toTrpcError(error.cause, (meta?.failure ?? "The request failed").replace("{host}", hostName));
}

const withServices = publicProcedure.use(async ({ ctx, next }) =>
  next({ ctx: { app: await ctx.services() } }),
);

/** Procedures that use the server's services (database, store, LM Studio connections, run worker): `ctx.app`. */
export const serviceProcedure = withServices.use(({ meta, next }) => mapErrors(meta, next));

/** The host a procedure is about, or the call is NOT_FOUND. */
async function hostOrNotFound(store: Services["store"], id: number) {
  const host = await store.getHost(id);
  if (!host) throw new TRPCError({ code: "NOT_FOUND", message: `No host with id ${id}` });
  return host;
}

/** Procedures about one host, named by `input.hostId`: `ctx.host` is that host, or the call is NOT_FOUND. */
export const hostProcedure = withServices
  .input(z.object({ hostId: z.number().int().positive() }))
  .use(async ({ ctx, input, next }) =>
    next({ ctx: { host: await hostOrNotFound(ctx.app.store, input.hostId) } }),
  )
  .use(({ ctx, meta, next }) => mapErrors(meta, next, ctx.host.name));

/** The Hosts API's own procedures name their host `input.id` (the API's long-standing field). */
export const hostByIdProcedure = withServices
  .input(z.object({ id: z.number().int().positive() }))
  .use(async ({ ctx, input, next }) => next({ ctx: { host: await hostOrNotFound(ctx.app.store, input.id) } }))
  .use(({ ctx, meta, next }) => mapErrors(meta, next, ctx.host.name));
