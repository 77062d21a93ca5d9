import type { z } from "zod";
import type { Logger } from "../logger.js";

/** Who is calling: passed to every handler. */
export interface RequestContext {
  readonly clientIdentifier: string;
  readonly namespace: string;
  readonly logger: Logger;
  /** Closes every socket of this client (the `disconnectAfterLoads` fault). */
  dropClient(): void;
}

/** The server side of one open channel. */
export interface ServerChannel<TToClient> {
  /** Sends a packet unless the channel or socket is already closed (then it is dropped). */
  send(packet: TToClient): void;
  /** Client packets, already validated against the endpoint's `toServerPacket` schema. */
  onMessage(listener: (packet: { type: "cancel" }) => void): void;
  /** Aborted when the socket closes: long operations must stop and release what they hold. */
  readonly socketClosed: AbortSignal;
}

/**
 * An rpc endpoint. The handler's parameter type is erased in the table (the port only calls it
 * with data its own `parameter` schema produced); `rpc()` keeps them in sync at definition time.
 */
export interface RpcEndpoint {
  readonly kind: "rpc";
  readonly parameter: z.ZodType<unknown>;
  /** Resolves to the result (undefined = void, the `result` key is omitted) or throws an LmsError. */
  readonly handler: (parameter: unknown, context: RequestContext) => unknown;
}

export interface ChannelEndpoint {
  readonly kind: "channel";
  readonly creationParameter: z.ZodType<unknown>;
  /** Schema of client packets; null when the endpoint accepts none. */
  readonly toServerPacket: z.ZodType<{ type: "cancel" }> | null;
  /** Resolving closes the channel (`channelClose`); throwing sends `channelError`. */
  readonly handler: (
    parameter: unknown,
    channel: ServerChannel<unknown>,
    context: RequestContext,
  ) => Promise<void>;
}

export interface NamespaceEndpoints {
  readonly rpc: Readonly<Record<string, RpcEndpoint>>;
  readonly channel: Readonly<Record<string, ChannelEndpoint>>;
}

export function rpc<TParameter>(
  parameter: z.ZodType<TParameter>,
  handler: (parameter: TParameter, context: RequestContext) => unknown,
): RpcEndpoint {
  return { kind: "rpc", parameter, handler: handler as RpcEndpoint["handler"] };
}

export function channel<TParameter, TToClient>(
  creationParameter: z.ZodType<TParameter>,
  toServerPacket: z.ZodType<{ type: "cancel" }> | null,
  handler: (
    parameter: TParameter,
    channel: ServerChannel<TToClient>,
    context: RequestContext,
  ) => Promise<void>,
): ChannelEndpoint {
  return {
    kind: "channel",
    creationParameter,
    toServerPacket,
    handler: handler as ChannelEndpoint["handler"],
  };
}
