import { LMStudioClient } from "@lmstudio/sdk";

/**
 * A real SDK client whose logger records every warning and error. The SDK drops a server message
 * that fails its zod schemas with nothing but a logged warning (the call then hangs forever), so
 * tests assert `problems` is empty afterwards.
 */
export interface StrictClient {
  readonly client: LMStudioClient;
  /** Unexpected warnings/errors the SDK logged, as text. */
  readonly problems: string[];
  /** Expected warnings (matching `allow`), as text. */
  readonly allowed: string[];
  dispose(): Promise<void>;
}

process.env.LMS_NO_FANCY_ERRORS = "1";

export function createStrictClient(
  baseUrl: string,
  options: { allow?: readonly RegExp[] } = {},
): StrictClient {
  const problems: string[] = [];
  const allowed: string[] = [];
  const record =
    (level: string) =>
    (...args: unknown[]) => {
      const text = `${level}: ${args.map((arg) => (arg instanceof Error ? arg.message : String(arg))).join(" ")}`;
      (options.allow?.some((pattern) => pattern.test(text)) ? allowed : problems).push(text);
    };
  const logger = { debug() {}, info() {}, warn: record("warn"), error: record("error") };
  const client = new LMStudioClient({ baseUrl, logger, verboseErrorMessages: false });
  let disposed = false;
  return {
    client,
    problems,
    allowed,
    async dispose() {
      if (disposed) return;
      disposed = true;
      await client[Symbol.asyncDispose]();
    },
  };
}

/** Rejection text of a promise (fails the test when it resolves). */
export async function errorOf(
  promise: Promise<unknown>,
): Promise<Error & { title?: string; cause?: unknown }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { title?: string };
  }
  throw new Error("expected the promise to reject");
}
