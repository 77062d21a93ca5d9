import { RuntimeError } from "../errors/runtime-error";

/**
 * Waits `ms`, or rejects with a CANCELLED `RuntimeError` as soon as `signal` aborts. Not `node:timers/promises`:
 * core's barrel reaches the dashboard's browser bundle, where that module does not exist.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new RuntimeError("CANCELLED", "The run was cancelled"));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new RuntimeError("CANCELLED", "The run was cancelled"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
