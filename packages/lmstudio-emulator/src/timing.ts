/**
 * Simulated time. Durations are computed in "model seconds" (what real hardware would take) and
 * scaled by the emulator's timeScale before waiting; 0 waits only a macrotask turn, so streams still
 * interleave with incoming cancel messages.
 */
export function scaledDelayMs(modelSeconds: number, timeScale: number): number {
  return Math.max(0, modelSeconds * 1000 * timeScale);
}

/** Resolves after `ms`, or rejects with `signal.reason` as soon as the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clear();
      reject(signal?.reason);
    };
    const done = () => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    };
    let clear: () => void;
    if (ms < 1) {
      const handle = setImmediate(done);
      clear = () => clearImmediate(handle);
    } else {
      const handle = setTimeout(done, ms);
      clear = () => clearTimeout(handle);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Waits until the signal aborts, then rejects with its reason (a load stalled at 99.9 %). */
export function waitForAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}
