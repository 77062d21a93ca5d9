import { isRuntimeError, RuntimeError } from "../errors/runtime-error";
import type { RuntimeVersion } from "../ports/model-runtime";
import type { RunContext } from "./run-context";

/**
 * Tags the `warning` that a run starts waiting for its host and the `log` that the host is back, so that a
 * viewer can show "waiting for LM Studio" for exactly that long without reading the messages' words.
 */
export const HOST_WAIT_STATES = { waiting: "waiting", back: "back" } as const;

/**
 * Waits until the host answers, retrying with growing pauses for up to `reconnectTimeoutMs`.
 * Throws an UNREACHABLE `RuntimeError` with a message a person understands when it never does. Returns the
 * version the host reported (a run keeps it: which LM Studio measured its limits).
 */
export async function waitForHost(ctx: RunContext, hostUrl: string): Promise<RuntimeVersion> {
  const deadline = Date.now() + ctx.settings.reconnectTimeoutMs;
  let pause = ctx.settings.reconnectPauseMs;
  let hasWarned = false;
  for (;;) {
    try {
      const version = await ctx.runtime.version({ signal: ctx.signal });
      if (hasWarned) {
        await ctx.emit("log", {
          message: `LM Studio at ${hostUrl} is back`,
          hostUrl,
          hostWait: HOST_WAIT_STATES.back,
        });
      }
      return version;
    } catch (error) {
      if (
        !isRuntimeError(error) ||
        (error.category !== "UNREACHABLE" &&
          error.category !== "DISCONNECTED" &&
          error.category !== "TIMEOUT")
      ) {
        throw error;
      }
      if (Date.now() + pause > deadline) {
        throw new RuntimeError(
          "UNREACHABLE",
          `LM Studio at ${hostUrl} is not reachable (${error.message}). Start LM Studio and its local server, or check the host's URL.`,
          { cause: error },
        );
      }
      if (!hasWarned) {
        hasWarned = true;
        await ctx.emit("warning", {
          message: `LM Studio at ${hostUrl} is not answering (${error.message}); waiting up to ${Math.round(ctx.settings.reconnectTimeoutMs / 1000)} s for it`,
          hostUrl,
          hostWait: HOST_WAIT_STATES.waiting,
        });
      }
      await ctx.sleep(pause);
      pause = Math.min(pause * 2, ctx.settings.maxReconnectPauseMs);
    }
  }
}
