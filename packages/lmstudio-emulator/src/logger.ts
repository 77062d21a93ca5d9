/** Minimal logger the emulator writes to (console-compatible). */
export interface Logger {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

export type LoggerOption = Partial<Logger>;

const noop = () => {};

export function toLogger(option: LoggerOption | undefined): Logger {
  return {
    debug: option?.debug?.bind(option) ?? noop,
    info: option?.info?.bind(option) ?? noop,
    warn: option?.warn?.bind(option) ?? noop,
    error: option?.error?.bind(option) ?? noop,
  };
}
