import { formatLogMessages, isProtocolWarning, type SdkLogger } from "../../src/quiet-logger";

export interface StrictSdkLogger extends SdkLogger {
  /** Every warning and error the SDK logged, as text. */
  readonly warnings: string[];
  /** Throws if the SDK logged a protocol warning: some reply of the emulator failed the SDK's schema. */
  assertNoProtocolWarnings(): void;
}

/**
 * The SDK's logger for adapter tests. A reply that fails the SDK's schema is dropped with nothing but a
 * warning, and the call waiting for it hangs: without this, an emulator/adapter mismatch shows up as a
 * mysterious timeout. Connection warnings (refused, closed) are expected in fault tests and allowed.
 */
export function createStrictSdkLogger(): StrictSdkLogger {
  const warnings: string[] = [];
  const protocolWarnings: string[] = [];
  const record = (messages: unknown[]): void => {
    const text = formatLogMessages(messages);
    warnings.push(text);
    if (isProtocolWarning(text)) protocolWarnings.push(text);
  };
  return {
    warnings,
    info: () => undefined,
    debug: () => undefined,
    warn: (...messages) => record(messages),
    error: (...messages) => record(messages),
    assertNoProtocolWarnings: () => {
      if (protocolWarnings.length > 0) {
        throw new Error(`The SDK logged protocol warnings:\n${protocolWarnings.join("\n")}`);
      }
    },
  };
}
