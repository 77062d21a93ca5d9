import { RuntimeError } from "@lmstrix/core";

export interface DeadlineOptions {
  /** What is being done, for the error message ("load qwen3-8b"). */
  what: string;
  timeoutMs: number;
  /** The caller's signal; aborting it rejects with CANCELLED. */
  signal?: AbortSignal | undefined;
  /** Extra words for the TIMEOUT message, computed when the deadline passes (e.g. a dropped reply). */
  explainTimeout?: () => string | undefined;
}

/** setTimeout fires at once for delays above 2^31-1 ms; longer limits mean "practically never". */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Runs `operation` under a deadline and the caller's signal. The SDK can hang forever (a reply that fails
 * its schema is dropped silently, a load can stall at 99.9 %), so the returned promise settles on time
 * *regardless* of the operation: on timeout it rejects with TIMEOUT, on abort with CANCELLED, and in both
 * cases it aborts the signal handed to `operation` so the SDK can cancel whatever it supports cancelling.
 * A late result or error of the abandoned operation is swallowed.
 */
export function withDeadline<T>(
  operation: (signal: AbortSignal) => Promise<T>,
  options: DeadlineOptions,
): Promise<T> {
  const { what, timeoutMs, signal } = options;
  if (signal?.aborted) return Promise.reject(cancelledError(what, signal));

  return new Promise<T>((resolve, reject) => {
    const controller = new AbortController();
    let isSettled = false;
    const settle = (finish: () => void): void => {
      if (isSettled) return;
      isSettled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      finish();
    };
    const fail = (error: RuntimeError): void => {
      settle(() => reject(error));
      // Abort after rejecting, so that whatever the SDK does on abort cannot overtake our error.
      controller.abort(error);
    };
    const onAbort = (): void => fail(cancelledError(what, signal));
    const timer = setTimeout(
      () => {
        const explanation = options.explainTimeout?.();
        const suffix = explanation ? ` (${explanation})` : "";
        fail(new RuntimeError("TIMEOUT", `${what} did not finish within ${timeoutMs} ms${suffix}`));
      },
      Math.min(timeoutMs, MAX_TIMER_MS),
    );
    signal?.addEventListener("abort", onAbort, { once: true });

    let pending: Promise<T>;
    try {
      pending = operation(controller.signal);
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      (value) => settle(() => resolve(value)),
      (error: unknown) => settle(() => reject(error)),
    );
  });
}

function cancelledError(what: string, signal: AbortSignal | undefined): RuntimeError {
  return new RuntimeError("CANCELLED", `${what} was cancelled`, { cause: signal?.reason });
}
