import { HostBusyError, hostNameSchema, hostUrlSchema, isRuntimeError, removeHost } from "@lmstrix/core";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { env } from "~/env";
import { toTrpcError } from "../errors";
import { createTRPCRouter, publicProcedure } from "../trpc";

const hostId = z.object({ id: z.number().int().positive() });
/** A status check must answer quickly: a host that is down is shown as down, not as a spinner. */
const STATUS_TIMEOUT_MS = 4_000;

export const hostRouter = createTRPCRouter({
  list: publicProcedure.query(async ({ ctx }) => {
    const { db } = await ctx.services();
    const hosts = await db.prisma.host.findMany({
      orderBy: { name: "asc" },
      select: {
        id: true,
        name: true,
        url: true,
        enabled: true,
        lease: { select: { holder: true, runId: true, heartbeatAt: true } },
        _count: { select: { models: { where: { isPresent: true } } } },
      },
    });
    return hosts.map(({ _count, ...host }) => ({ ...host, modelCount: _count.models }));
  }),

  /** Whether LM Studio answers, its version, and what is loaded there now. */
  status: publicProcedure.input(hostId).query(async ({ ctx, input }) => {
    const { store, runtimes } = await ctx.services();
    const host = await store.getHost(input.id);
    if (!host) throw new TRPCError({ code: "NOT_FOUND", message: `No host with id ${input.id}` });
    const runtime = runtimes.for(host);
    try {
      const version = await runtime.version({ timeoutMs: STATUS_TIMEOUT_MS });
      const loaded = await runtime.listLoaded({ timeoutMs: STATUS_TIMEOUT_MS });
      return { reachable: true as const, version: version.version, loaded, error: null };
    } catch (error) {
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

  create: publicProcedure
    .input(z.object({ name: hostNameSchema, url: hostUrlSchema }))
    .mutation(async ({ ctx, input }) => {
      const { db } = await ctx.services();
      const existing = await db.prisma.host.findUnique({ where: { name: input.name }, select: { id: true } });
      if (existing)
        throw new TRPCError({ code: "CONFLICT", message: `A host named "${input.name}" exists already` });
      return db.prisma.host.create({
        data: input,
        select: { id: true, name: true, url: true, enabled: true },
      });
    }),

  update: publicProcedure
    .input(
      hostId.extend({
        name: hostNameSchema.optional(),
        url: hostUrlSchema.optional(),
        enabled: z.boolean().optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { db } = await ctx.services();
      const { id, ...data } = input;
      const host = await db.prisma.host.findUnique({ where: { id }, select: { id: true } });
      if (!host) throw new TRPCError({ code: "NOT_FOUND", message: `No host with id ${id}` });
      if (data.name) {
        const clash = await db.prisma.host.findFirst({ where: { name: data.name, id: { not: id } } });
        if (clash)
          throw new TRPCError({ code: "CONFLICT", message: `A host named "${data.name}" exists already` });
      }
      return db.prisma.host.update({
        where: { id },
        data,
        select: { id: true, name: true, url: true, enabled: true },
      });
    }),

  /** Removes a host with its models and history; refused while one of its runs is running. */
  delete: publicProcedure.input(hostId).mutation(async ({ ctx, input }) => {
    const { store, runtimes } = await ctx.services();
    const host = await store.getHost(input.id);
    if (!host) throw new TRPCError({ code: "NOT_FOUND", message: `No host with id ${input.id}` });
    try {
      await removeHost(store, host, env().LMSTRIX_LEASE_STALE_MS);
    } catch (error) {
      if (!(error instanceof HostBusyError)) throw error;
      throw new TRPCError({ code: "CONFLICT", message: "A run is running on this host; cancel it first" });
    }
    await runtimes.forget(input.id);
    return { id: input.id };
  }),

  /** Reads the host's downloaded models into the database: new, changed and gone ones. */
  scan: publicProcedure.input(hostId).mutation(async ({ ctx, input }) => {
    const { store, runtimes } = await ctx.services();
    const host = await store.getHost(input.id);
    if (!host) throw new TRPCError({ code: "NOT_FOUND", message: `No host with id ${input.id}` });
    try {
      const models = await runtimes.for(host).listModels();
      return await store.syncModels(host.id, models, new Date());
    } catch (error) {
      throw toTrpcError(error, `Could not scan ${host.name}`);
    }
  }),
});
