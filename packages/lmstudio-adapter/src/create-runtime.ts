import { LmStudioRuntime } from "./lmstudio-runtime";
import { type LmStudioRuntimeOptions, resolveTimeouts } from "./options";
import { createQuietLogger } from "./quiet-logger";

/**
 * A `ModelRuntime` for one LM Studio host, over `@lmstudio/sdk` 1.5. Nothing connects until the first
 * call; a dropped connection is reported as DISCONNECTED and the next call reconnects.
 *
 * ```ts
 * const runtime = createLmStudioRuntime({ url: "ws://127.0.0.1:1234", timeouts: { loadMs: 120_000 } });
 * ```
 */
export function createLmStudioRuntime(options: LmStudioRuntimeOptions): LmStudioRuntime {
  const url = options.url.replace(/\/+$/, "");
  if (!/^wss?:\/\//.test(url))
    throw new TypeError(`LM Studio URL must start with ws:// or wss://, got "${options.url}"`);
  const logger = createQuietLogger(options.logger === undefined ? {} : { target: options.logger });
  return new LmStudioRuntime(url, resolveTimeouts(options.timeouts), logger);
}
