import "server-only";
import { type NotificationStore, notifyRunEnd, type Store, type WebhookDeliveryOptions } from "@lmstrix/core";

/**
 * Sends a run's notifications in the background once it has ended: never awaited by the run queue, so a slow
 * or dead receiver never holds up the next run. `stop()` cancels the retries still waiting (the server stopping).
 */
export class Notifier {
  private readonly shutdown = new AbortController();
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    private readonly store: Store,
    private readonly notifications: NotificationStore,
    private readonly settings: { LMSTRIX_WEBHOOK_URL?: string | undefined; LMSTRIX_PUBLIC_URL: string },
    private readonly delivery: Omit<WebhookDeliveryOptions, "signal"> = {},
  ) {}

  runEnded(runId: number): void {
    if (this.shutdown.signal.aborted) return;
    const sending = notifyRunEnd(
      {
        store: this.store,
        notifications: this.notifications,
        defaultWebhookUrl: this.settings.LMSTRIX_WEBHOOK_URL,
        publicUrl: this.settings.LMSTRIX_PUBLIC_URL,
        delivery: { ...this.delivery, signal: this.shutdown.signal },
      },
      runId,
    )
      .catch((error: unknown) => console.error(`Notifications of run #${runId} failed:`, error))
      .finally(() => this.pending.delete(sending));
    this.pending.add(sending);
  }

  /** Cancels waiting retries and waits (briefly) for deliveries in flight to record how they ended. */
  async stop(graceMs = 1_000): Promise<void> {
    this.shutdown.abort();
    const settled = Promise.allSettled([...this.pending]);
    await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, graceMs))]);
  }
}
