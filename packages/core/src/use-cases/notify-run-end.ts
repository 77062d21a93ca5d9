import type { RunEventRow } from "../domain/event";
import { notificationsOfRun, type WebhookNotification } from "../domain/notification";
import type { NotificationStore } from "../ports/notification-store";
import type { Store } from "../ports/store";
import { deliverWebhook, type WebhookDelivery, type WebhookDeliveryOptions } from "./webhook-delivery";

export interface NotifyRunEndDeps {
  store: Pick<Store, "getRun" | "getHost" | "listEventsAfter">;
  notifications: NotificationStore;
  /** LMSTRIX_WEBHOOK_URL; a host's own URL replaces it. Neither: nothing is sent. */
  defaultWebhookUrl: string | undefined;
  /** LMSTRIX_PUBLIC_URL: where the dashboard is reached, for the run's link. */
  publicUrl: string;
  delivery?: WebhookDeliveryOptions;
}

export interface NotifyRunEndResult {
  url: string | null;
  sent: { notification: WebhookNotification; delivery: WebhookDelivery }[];
}

const EVENT_PAGE = 1_000;

async function allEvents(store: NotifyRunEndDeps["store"], runId: number): Promise<RunEventRow[]> {
  const events: RunEventRow[] = [];
  for (;;) {
    const page = await store.listEventsAfter(runId, events.at(-1)?.id ?? 0, EVENT_PAGE);
    events.push(...page);
    if (page.length < EVENT_PAGE) return events;
  }
}

/**
 * Sends the notifications of a run that has ended (its end, and each regression it found) to the host's webhook
 * or LMSTRIX_WEBHOOK_URL, one after another, each retried with backoff; a delivery that fails every attempt is
 * recorded for the Health page. Call it after the run's rows are written, without awaiting it from the run.
 */
export async function notifyRunEnd(deps: NotifyRunEndDeps, runId: number): Promise<NotifyRunEndResult> {
  const run = await deps.store.getRun(runId);
  if (!run) return { url: null, sent: [] };
  const url = (await deps.notifications.hostWebhookUrl(run.hostId)) ?? deps.defaultWebhookUrl ?? null;
  if (!url) return { url: null, sent: [] };
  const host = await deps.store.getHost(run.hostId);
  const notifications = notificationsOfRun(
    { id: run.id, host: { id: run.hostId, name: host?.name ?? `#${run.hostId}` } },
    await allEvents(deps.store, run.id),
    deps.publicUrl,
  );
  const sent: NotifyRunEndResult["sent"] = [];
  for (const notification of notifications) {
    const delivery = await deliverWebhook(url, notification, deps.delivery);
    sent.push({ notification, delivery });
    if (!delivery.isDelivered) {
      await deps.notifications.recordWebhookFailure({
        hostId: run.hostId,
        runId: run.id,
        event: notification.event,
        url,
        attempts: delivery.attempts,
        error: delivery.error,
      });
    }
  }
  return { url, sent };
}
