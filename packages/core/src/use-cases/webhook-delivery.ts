import { sleep as abortableSleep } from "../engine/sleep";
import { linkedController } from "../util/linked-signal";

export interface WebhookDeliveryOptions {
  /** Attempts in all, the first included. */
  tries?: number;
  /** The wait before the second attempt; each later wait doubles. */
  firstDelayMs?: number;
  /** How long one attempt may take before it is given up. */
  timeoutMs?: number;
  /** Aborts the delivery (the server is stopping): no further attempt is made. */
  signal?: AbortSignal;
  /** Injected in tests; `fetch` and an abortable timer otherwise. */
  fetch?: typeof globalThis.fetch;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export type WebhookDelivery =
  | { isDelivered: true; attempts: number }
  | { isDelivered: false; attempts: number; error: string };

export const DEFAULT_WEBHOOK_TRIES = 4;
export const DEFAULT_WEBHOOK_FIRST_DELAY_MS = 1_000;
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;

/** The waits between attempts: `firstDelayMs`, then doubling (1 s, 2 s, 4 s for four tries). */
export function webhookBackoff(tries: number, firstDelayMs: number): number[] {
  return Array.from({ length: Math.max(0, tries - 1) }, (_, index) => firstDelayMs * 2 ** index);
}

function describeFailure(error: unknown, timeoutMs: number, isTimeout: boolean): string {
  if (isTimeout) return `no answer within ${timeoutMs / 1000} s`;
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : "";
    return `${error.message}${cause}`;
  }
  return String(error);
}

/**
 * POSTs `body` as JSON to `url`, retrying with exponential backoff while the receiver fails (a network error, a
 * timeout, or any answer but 2xx). Never throws: the caller records a delivery that failed every attempt.
 */
export async function deliverWebhook(
  url: string,
  body: unknown,
  options: WebhookDeliveryOptions = {},
): Promise<WebhookDelivery> {
  const tries = options.tries ?? DEFAULT_WEBHOOK_TRIES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  const post = options.fetch ?? globalThis.fetch;
  const wait = options.sleep ?? abortableSleep;
  const delays = webhookBackoff(tries, options.firstDelayMs ?? DEFAULT_WEBHOOK_FIRST_DELAY_MS);
  let lastError = "not attempted";
  for (let attempt = 1; attempt <= tries; attempt++) {
    if (options.signal?.aborted)
      return { isDelivered: false, attempts: attempt - 1, error: "stopped: the server is shutting down" };
    const { controller, unlink } = linkedController(options.signal);
    let isTimeout = false;
    const timer = setTimeout(() => {
      isTimeout = true;
      controller.abort();
    }, timeoutMs);
    try {
      const response = await post(url, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "LMStrix" },
        body: JSON.stringify(body),
        signal: controller.signal,
      });
      // The body is not read: an answer's status is all a webhook says.
      await response.body?.cancel().catch(() => undefined);
      if (response.ok) return { isDelivered: true, attempts: attempt };
      lastError = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
    } catch (error) {
      lastError = describeFailure(error, timeoutMs, isTimeout);
    } finally {
      clearTimeout(timer);
      unlink();
    }
    const delay = delays[attempt - 1];
    if (delay === undefined) break;
    try {
      await wait(delay, options.signal);
    } catch {
      return {
        isDelivered: false,
        attempts: attempt,
        error: `${lastError}; stopped: the server is shutting down`,
      };
    }
  }
  return { isDelivered: false, attempts: tries, error: lastError };
}
