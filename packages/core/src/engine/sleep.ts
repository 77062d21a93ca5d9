import { setTimeout as wait } from "node:timers/promises";
import { RuntimeError } from "../errors/runtime-error";

/** Waits `ms`, or rejects with a CANCELLED `RuntimeError` (what the engine stops on) as soon as `signal` aborts. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await wait(ms, undefined, { signal });
  } catch (error) {
    if (signal?.aborted) throw new RuntimeError("CANCELLED", "The run was cancelled");
    throw error;
  }
}
