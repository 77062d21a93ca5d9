import { isRuntimeError, LmstrixError } from "@lmstrix/core";
import { createLmStudioRuntime, type LmStudioRuntime } from "@lmstrix/lmstudio-adapter";
import type { CliEnv } from "./env";
import { oneLine } from "./format/numbers";
import { type HostChoice, hostUrl } from "./hosts";

/** The LM Studio connection for one host, with the time limits from the environment. */
export function createRuntime(url: string, env: CliEnv): LmStudioRuntime {
  return createLmStudioRuntime({
    url,
    timeouts: {
      connectMs: env.LMSTRIX_CONNECT_TIMEOUT_MS,
      loadMs: env.LMSTRIX_LOAD_TIMEOUT_MS,
      predictMs: env.LMSTRIX_PREDICT_TIMEOUT_MS,
    },
  });
}

/**
 * Turns a runtime failure of a one-off command (scan, infer, test's model check) into a message a person can
 * act on; an unreachable host names the database's other hosts (`pnpm demo`'s is "emulator", not the default).
 */
export function explainRuntimeError(error: unknown, choice: HostChoice): Error {
  if (!isRuntimeError(error)) return error instanceof Error ? error : new Error(String(error));
  if (error.category === "UNREACHABLE" || error.category === "DISCONNECTED") {
    const others =
      choice.others.length > 0
        ? ` The database has other hosts too: ${choice.others.map((name) => `--host ${name}`).join(", ")}.`
        : "";
    return new LmstrixError(
      "HOST_UNREACHABLE",
      `LM Studio at ${hostUrl(choice)} is not reachable (${oneLine(error.message)}). Start LM Studio and its local server, or check the host's URL.${others}`,
      { cause: error },
    );
  }
  return new LmstrixError("HOST_FAILED", `${error.category}: ${oneLine(error.message, 400)}`, {
    cause: error,
  });
}
