import { webhookUrlSchema } from "@lmstrix/core";
import { z } from "zod";
import { env } from "~/env";
import { createTRPCRouter, hostByIdProcedure, serviceProcedure } from "../trpc";

/** Where notifications go, and the ones that could not be delivered. */
export const notificationRouter = createTRPCRouter({
  /** The host's own webhook URL and the global one (LMSTRIX_WEBHOOK_URL) it replaces. */
  hostWebhook: hostByIdProcedure.query(async ({ ctx: { app, host } }) => ({
    url: await app.notifications.hostWebhookUrl(host.id),
    defaultUrl: env().LMSTRIX_WEBHOOK_URL ?? null,
  })),

  /** Sets the host's webhook URL; null (or empty) goes back to LMSTRIX_WEBHOOK_URL. */
  setHostWebhook: hostByIdProcedure
    .input(
      z.object({ webhookUrl: z.union([webhookUrlSchema, z.literal("").transform(() => null), z.null()]) }),
    )
    .mutation(async ({ ctx: { app, host }, input }) => {
      await app.notifications.setHostWebhookUrl(host.id, input.webhookUrl);
      return { id: host.id, webhookUrl: input.webhookUrl };
    }),

  /** Deliveries that failed every attempt, newest first. */
  failures: serviceProcedure
    .input(z.object({ take: z.number().int().min(1).max(200).default(20) }).optional())
    .query(({ ctx, input }) => ctx.app.notifications.listWebhookFailures(input?.take ?? 20)),
});
