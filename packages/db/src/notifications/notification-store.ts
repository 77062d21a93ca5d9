import type { NotificationStore, WebhookFailureInput } from "@lmstrix/core";
import type { PrismaClient } from "@prisma/client";

/** A failed delivery as the Health page lists it. */
export interface WebhookFailureRow extends WebhookFailureInput {
  id: number;
  createdAt: Date;
}

/** Hosts' webhook URLs and failed deliveries in SQLite. */
export class PrismaNotificationStore implements NotificationStore {
  constructor(private readonly prisma: PrismaClient) {}

  async hostWebhookUrl(hostId: number): Promise<string | null> {
    const host = await this.prisma.host.findUnique({ where: { id: hostId }, select: { webhookUrl: true } });
    return host?.webhookUrl ?? null;
  }

  /** Sets (or with null clears) the host's own webhook URL; false when there is no such host. */
  async setHostWebhookUrl(hostId: number, url: string | null): Promise<boolean> {
    const { count } = await this.prisma.host.updateMany({ where: { id: hostId }, data: { webhookUrl: url } });
    return count > 0;
  }

  async recordWebhookFailure(failure: WebhookFailureInput): Promise<void> {
    await this.prisma.webhookFailure.create({ data: failure });
  }

  /** The newest failed deliveries first. */
  listWebhookFailures(take = 20): Promise<WebhookFailureRow[]> {
    return this.prisma.webhookFailure.findMany({ orderBy: { id: "desc" }, take });
  }
}
