import { RuntimeError } from "@lmstrix/core";
import { LMStudioClient } from "@lmstudio/sdk";
import { classifyError } from "./classify-error";
import { closeClient } from "./close-client";
import type { ProtocolWarnings } from "./protocol-warnings";
import type { SdkLogger } from "./quiet-logger";
import { withDeadline } from "./with-timeout";

export interface ConnectionOptions {
  url: string;
  logger: SdkLogger;
  connectMs: number;
  protocolWarnings: ProtocolWarnings;
}

/** A client borrowed for one call; `release` it when the call has settled. */
export interface ClientLease {
  client: LMStudioClient;
  release(): void;
}

interface Generation {
  client: LMStudioClient;
  /** Settles once the host has answered on this client (or the attempt failed). */
  ready: Promise<void>;
  /** Calls of ours currently using the client. */
  leases: number;
  isRetired: boolean;
  closed: Promise<void> | null;
}

/**
 * Owns the `LMStudioClient` of one host and replaces it when its socket dies.
 *
 * The SDK reports a dropped socket by rejecting every pending call with "WebSocket connection closed";
 * its transport would quietly reconnect on the next send, but with the old client's half-known state
 * (calls whose replies it dropped stay pending forever). So a client whose socket died is *retired*: the
 * next call gets a fresh client, and the old one is closed as soon as none of our calls use it.
 * A fresh client is checked with one `version` round trip within `connectMs`, so an unreachable or
 * silent host fails fast as UNREACHABLE instead of waiting out a ten-minute load timeout.
 */
export class Connection {
  private current: Generation | null = null;
  private readonly closing = new Set<Promise<void>>();
  private isClosed = false;

  constructor(private readonly options: ConnectionOptions) {}

  /** A client that has answered at least once; a fresh one if the previous one was retired. */
  async acquire(signal: AbortSignal): Promise<ClientLease> {
    if (this.isClosed) throw new RuntimeError("CANCELLED", "The LM Studio runtime has been closed");
    const generation = this.current ?? this.open();
    generation.leases++;
    let isReleased = false;
    const release = (): void => {
      if (isReleased) return;
      isReleased = true;
      generation.leases--;
      this.closeIfIdle(generation);
    };
    try {
      await withDeadline(() => generation.ready, {
        what: `Connecting to LM Studio at ${this.options.url}`,
        timeoutMs: Number.POSITIVE_INFINITY,
        signal,
      });
    } catch (error) {
      release();
      throw error;
    }
    return { client: generation.client, release };
  }

  /** Marks `client` as dead: later calls get a new client; this one closes once our calls are done. */
  retire(client: LMStudioClient): void {
    const generation = this.current;
    if (generation === null || generation.client !== client) return;
    this.current = null;
    generation.isRetired = true;
    this.closeIfIdle(generation);
  }

  /** Retires the current client and waits until every client this connection made is closed. */
  async close(): Promise<void> {
    this.isClosed = true;
    if (this.current !== null) this.retire(this.current.client);
    await Promise.all([...this.closing]);
  }

  private open(): Generation {
    // Keep ANSI boxes out of error messages; must be set before the SDK formats its first error.
    process.env.LMS_NO_FANCY_ERRORS ??= "1";
    const client = new LMStudioClient({
      baseUrl: this.options.url,
      logger: this.options.logger,
      verboseErrorMessages: false,
    });
    const generation: Generation = {
      client,
      ready: Promise.resolve(),
      leases: 0,
      isRetired: false,
      closed: null,
    };
    generation.ready = this.checkReachable(client);
    // A failed check must not surface as an unhandled rejection when no call is waiting on it.
    generation.ready.catch(() => this.retire(client));
    this.current = generation;
    return generation;
  }

  private async checkReachable(client: LMStudioClient): Promise<void> {
    const { url, connectMs, protocolWarnings } = this.options;
    const warningsMark = protocolWarnings.mark();
    try {
      await withDeadline(() => client.system.getLMStudioVersion(), {
        what: `Connecting to LM Studio at ${url}`,
        timeoutMs: connectMs,
        explainTimeout: () => protocolWarnings.explainSince(warningsMark),
      });
    } catch (error) {
      const classified = classifyError(error, "UNREACHABLE");
      // No answer at all within connectMs means nobody usable is listening.
      const category = classified.category === "TIMEOUT" ? "UNREACHABLE" : classified.category;
      throw new RuntimeError(category, classified.message, { cause: error });
    }
  }

  private closeIfIdle(generation: Generation): void {
    if (!generation.isRetired || generation.leases > 0 || generation.closed !== null) return;
    const closed = closeClient(generation.client);
    generation.closed = closed;
    this.closing.add(closed);
    void closed.finally(() => this.closing.delete(closed));
  }
}
