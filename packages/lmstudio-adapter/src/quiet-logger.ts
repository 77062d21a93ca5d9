import { stripVTControlCharacters } from "node:util";

/** The logger shape `LMStudioClient` accepts (`LoggerInterface` in the SDK). */
export interface SdkLogger {
  info(...messages: unknown[]): void;
  warn(...messages: unknown[]): void;
  error(...messages: unknown[]): void;
  debug(...messages: unknown[]): void;
}

export interface QuietLogger extends SdkLogger {
  /** The newest warnings and errors the SDK logged, oldest first, as plain text. */
  recent(): string[];
  /**
   * Called with each protocol warning (a reply the SDK could not parse). The SDK drops such a reply and
   * the call waiting for it never settles, so the runtime uses this to explain the timeout that follows.
   */
  onProtocolWarning(listener: (text: string) => void): () => void;
}

export const DEFAULT_RING_SIZE = 50;

/**
 * What the SDK says when it receives something it cannot parse or route. Every one of them means a
 * reply was dropped: some promise now waits forever.
 */
const PROTOCOL_WARNING_PATTERNS = [
  /Received invalid/i,
  /communication warning/i,
  /for unknown (channel|rpc|signal)/i,
  /Received message while not connected/i,
  /Failed to apply patches/i,
  /Failed to parse authentication result/i,
];

export function isProtocolWarning(text: string): boolean {
  return PROTOCOL_WARNING_PATTERNS.some((pattern) => pattern.test(text));
}

/** Renders SDK log arguments (prefixes, strings, errors, parsed messages) as one line of plain text. */
export function formatLogMessages(messages: unknown[]): string {
  return stripVTControlCharacters(messages.map(formatOne).join(" ")).trim();
}

function formatOne(message: unknown): string {
  if (typeof message === "string") return message;
  if (message instanceof Error) return message.message;
  try {
    const json = JSON.stringify(message);
    return json === undefined ? String(message) : truncate(json, 2_000);
  } catch {
    return String(message);
  }
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/**
 * The SDK logs to `console` by default, loudly (connection refused prints a whole paragraph). This logger
 * keeps it quiet: with a `target` everything is forwarded to it; without one, info/debug are dropped and
 * warnings/errors kept in a bounded ring. Protocol warnings are always reported to listeners.
 */
export function createQuietLogger(options: { target?: SdkLogger; ringSize?: number } = {}): QuietLogger {
  const { target, ringSize = DEFAULT_RING_SIZE } = options;
  const ring: string[] = [];
  const listeners = new Set<(text: string) => void>();

  const keep = (level: "warn" | "error", messages: unknown[]): void => {
    const text = formatLogMessages(messages);
    ring.push(`${level}: ${text}`);
    if (ring.length > ringSize) ring.splice(0, ring.length - ringSize);
    if (isProtocolWarning(text)) for (const listener of listeners) listener(text);
  };

  return {
    info: (...messages) => target?.info(...messages),
    debug: (...messages) => target?.debug(...messages),
    warn: (...messages) => {
      keep("warn", messages);
      target?.warn(...messages);
    },
    error: (...messages) => {
      keep("error", messages);
      target?.error(...messages);
    },
    recent: () => [...ring],
    onProtocolWarning: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
