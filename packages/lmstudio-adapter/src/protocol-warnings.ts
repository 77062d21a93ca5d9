import type { QuietLogger } from "./quiet-logger";

/**
 * Remembers the protocol warnings the SDK logged, so that a call which then times out can say why: the
 * SDK dropped a reply it could not parse (or the host rejected our request), and nobody will answer.
 */
export class ProtocolWarnings {
  private count = 0;
  private last = "";

  constructor(logger: QuietLogger) {
    logger.onProtocolWarning((text) => {
      this.count++;
      this.last = text;
    });
  }

  /** A position to compare against later. */
  mark(): number {
    return this.count;
  }

  /** The newest protocol warning logged after `mark`, worded for a TIMEOUT message. */
  explainSince(mark: number): string | undefined {
    if (this.count <= mark) return undefined;
    return `the SDK logged a protocol warning meanwhile, so the reply was probably dropped: ${this.last}`;
  }
}
