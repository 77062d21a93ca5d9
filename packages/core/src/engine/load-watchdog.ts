import { RuntimeError } from "../errors/runtime-error";
import type { LoadOptions, ModelHandle, ModelRuntime } from "../ports/model-runtime";
import { linkedController } from "../util/linked-signal";
import type { EngineTimers } from "./timers";

export interface StallRule {
  /** A load whose progress has not moved for this long is given up as STALLED; 0 turns the rule off. */
  stallMs: number;
  timers: EngineTimers;
}

/** "60 s", "0.6 s": the stall time as people read it in a probe's error. */
export function seconds(ms: number): string {
  return `${Number((ms / 1_000).toFixed(1)).toLocaleString("en-US")} s`;
}

/**
 * `runtime.load` under the stall rule. LM Studio can sit at "90 %" for good (a load that hangs never
 * ends on its own, and the overall load timeout is minutes long): when the reported progress has not moved
 * for `stallMs`, the load is aborted — the runtime then cleans up whatever instance appeared, as for any
 * cancelled load — and rejected with a `STALLED` error. Any rise of the progress restarts the clock; the
 * runtime's own load timeout stays in force as a backstop. A cancel of `options.signal` stays a cancel.
 */
export async function loadUnlessStalled(
  runtime: ModelRuntime,
  modelKey: string,
  options: LoadOptions,
  rule: StallRule,
): Promise<ModelHandle> {
  if (rule.stallMs <= 0) return runtime.load(modelKey, options);
  const { controller, unlink } = linkedController(options.signal);
  let highest: number | null = null;
  let hasStalled = false;
  let disarm = () => {};
  const arm = () => {
    disarm();
    disarm = rule.timers.after(rule.stallMs, () => {
      hasStalled = true;
      controller.abort("stalled");
    });
  };
  arm();
  try {
    return await runtime.load(modelKey, {
      ...options,
      signal: controller.signal,
      onProgress: (progress) => {
        if (highest === null || progress > highest) {
          highest = progress;
          arm();
        }
        options.onProgress?.(progress);
      },
    });
  } catch (error) {
    if (!hasStalled || options.signal?.aborted) throw error;
    const where =
      highest === null ? "no progress reported" : `stuck at ${Math.floor(highest * 100).toString()}%`;
    throw new RuntimeError(
      "STALLED",
      `No load progress for ${seconds(rule.stallMs)} (${where}); given up as stalled`,
      { cause: error },
    );
  } finally {
    disarm();
    unlink();
  }
}
