/** A notification that failed every attempt, as the Health page lists it. */
export interface WebhookFailureInput {
  hostId: number | null;
  runId: number | null;
  event: string;
  url: string;
  attempts: number;
  error: string;
}

/** What sending notifications reads and writes besides runs. */
export interface NotificationStore {
  /** The host's own webhook URL (instead of LMSTRIX_WEBHOOK_URL); null: none. */
  hostWebhookUrl(hostId: number): Promise<string | null>;

  /** Keeps a delivery that failed every attempt. */
  recordWebhookFailure(failure: WebhookFailureInput): Promise<void>;
}
