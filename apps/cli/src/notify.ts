import { type NotifyRunEndResult, notifyRunEnd, type Store } from "@lmstrix/core";
import { type Database, PrismaNotificationStore } from "@lmstrix/db";
import type { CliEnv } from "./env";

/** The longest the CLI waits, after its run, for the run's notifications and their retries. */
const SETTLE_MS = 30_000;

/**
 * Sends the notifications of the runs this process drives (LMSTRIX_WEBHOOK_URL or the host's own URL), as the
 * dashboard does for its runs. Started when a run ends, not awaited by the queue; `settle` waits for them
 * before the process exits, so a run from the CLI notifies as one from the dashboard does.
 */
export class CliNotifier {
  private readonly pending: Promise<NotifyRunEndResult | null>[] = [];
  private readonly stop = new AbortController();

  constructor(
    private readonly store: Store,
    private readonly db: Database,
    private readonly env: CliEnv,
  ) {}

  runEnded(runId: number): void {
    const notifications = new PrismaNotificationStore(this.db.prisma);
    const deps = {
      store: this.store,
      notifications,
      defaultWebhookUrl: this.env.LMSTRIX_WEBHOOK_URL,
      publicUrl: this.env.LMSTRIX_PUBLIC_URL,
      delivery: { signal: this.stop.signal },
    };
    this.pending.push(notifyRunEnd(deps, runId).catch(() => null));
  }

  /** Waits for the notifications (at most 30 s, then stops their retries); says which failed. */
  async settle(warn: (text: string) => void): Promise<void> {
    if (this.pending.length === 0) return;
    const timer = setTimeout(() => this.stop.abort(), SETTLE_MS);
    try {
      for (const result of await Promise.all(this.pending)) {
        for (const { notification, delivery } of result?.sent ?? []) {
          if (!delivery.isDelivered) {
            warn(
              `Could not notify ${result?.url} of ${notification.event} (${delivery.error}); see lmstrix health`,
            );
          }
        }
      }
    } finally {
      clearTimeout(timer);
    }
  }
}
