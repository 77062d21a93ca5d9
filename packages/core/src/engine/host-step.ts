import { isRuntimeError, RuntimeError } from "../errors/runtime-error";
import { waitForHost } from "./host-connection";
import type { RunContext } from "./run-context";
import { verdictFor } from "./verdict";

/**
 * Runs a step of a run that talks to the host outside any probe (the scan at the start, unloading what was
 * loaded before) and, when the host is lost during it, waits for the host as a probe does and runs the step
 * again — LM Studio going away right as a run starts is the same outage as during a probe. A host that keeps
 * dropping the connection for longer than `reconnectTimeoutMs` ends the run as UNREACHABLE.
 */
export async function withHost<T>(ctx: RunContext, hostUrl: string, step: () => Promise<T>): Promise<T> {
  let firstLossAt: number | undefined;
  for (;;) {
    try {
      return await step();
    } catch (error) {
      if (!isRuntimeError(error) || verdictFor(error.category) !== "host-lost") throw error;
      firstLossAt ??= Date.now();
      if (Date.now() - firstLossAt > ctx.settings.reconnectTimeoutMs) {
        throw new RuntimeError(
          "UNREACHABLE",
          `LM Studio at ${hostUrl} keeps dropping the connection (${error.message})`,
          { cause: error },
        );
      }
      await ctx.sleep(ctx.settings.reconnectPauseMs);
      await waitForHost(ctx, hostUrl);
    }
  }
}
