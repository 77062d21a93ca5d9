import type { WebSocket } from "ws";
import type { z } from "zod";
import type { Logger } from "../logger.js";
import type { ChannelEndpoint, NamespaceEndpoints, RequestContext } from "./endpoints.js";
import { LmsError, serializeError } from "./errors.js";
import { type ClientMessage, clientMessageSchema } from "./schemas.js";

interface OpenChannel {
  readonly endpoint: ChannelEndpoint;
  readonly listeners: Array<(packet: { type: "cancel" }) => void>;
  /** Packets that arrived before the handler subscribed (frames can come in one TCP chunk). */
  readonly pending: Array<{ type: "cancel" }>;
  open: boolean;
}

/**
 * The server half of one authenticated WebSocket (one namespace of one client), modelled on
 * LM Studio's `ServerPort`: validates every frame, dispatches rpc calls and channels, and never
 * sends anything on a channel after it is closed (the SDK would log a communication warning).
 *
 * Deliberate difference: for an unknown endpoint or an invalid parameter LM Studio only sends a
 * `communicationWarning` and never answers, so the SDK call hangs forever. The emulator sends the
 * same warning *and* an `rpcError`/`channelError` naming the endpoint, so a caller fails fast.
 */
export class ServerPort {
  private readonly channels = new Map<number, OpenChannel>();
  private readonly closeController = new AbortController();

  constructor(
    private readonly ws: WebSocket,
    private readonly endpoints: NamespaceEndpoints,
    private readonly context: RequestContext,
    private readonly logger: Logger,
  ) {
    ws.on("message", (data) => this.receivedFrame(String(data)));
    ws.on("close", () => this.closed());
  }

  get isOpen(): boolean {
    return !this.closeController.signal.aborted;
  }

  /**
   * Drops the connection, like a restarted server. A close frame (not a TCP reset) so the packets
   * already queued, e.g. the load's `success`, still reach the client first.
   */
  disconnect(): void {
    this.ws.close(1011, "LM Studio emulator dropped the client");
  }

  private closed(): void {
    for (const channel of this.channels.values()) channel.open = false;
    this.channels.clear();
    this.closeController.abort(new Error("WebSocket closed"));
  }

  private send(message: Record<string, unknown>): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(message));
  }

  private communicationWarning(warning: string): void {
    this.logger.warn(`[${this.context.namespace}] communication warning: ${warning}`);
    this.send({ type: "communicationWarning", warning });
  }

  private receivedFrame(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.communicationWarning(`Received invalid JSON message from client: ${text.slice(0, 200)}`);
      return;
    }
    const parsed = clientMessageSchema.safeParse(json);
    if (!parsed.success) {
      const summary = zodSummary(parsed.error);
      this.communicationWarning(
        `Received invalid message from client: ${text.slice(0, 200)}. Zod error: ${summary}`,
      );
      this.failMalformedRequest(json, summary);
      return;
    }
    this.dispatch(parsed.data);
  }

  /** A malformed rpcCall/channelCreate that still names its id gets an error instead of silence. */
  private failMalformedRequest(json: unknown, summary: string): void {
    if (typeof json !== "object" || json === null) return;
    const { type, callId, channelId } = json as Record<string, unknown>;
    const error = serializeError(new LmsError(`Malformed ${String(type)} message`, { cause: summary }));
    if (type === "rpcCall" && Number.isInteger(callId)) this.send({ type: "rpcError", callId, error });
    if (type === "channelCreate" && Number.isInteger(channelId))
      this.send({ type: "channelError", channelId, error });
  }

  private dispatch(message: ClientMessage): void {
    switch (message.type) {
      case "rpcCall":
        this.receivedRpcCall(message);
        return;
      case "channelCreate":
        this.receivedChannelCreate(message);
        return;
      case "channelSend":
        this.receivedChannelSend(message);
        return;
      case "channelAck":
        if (!this.channels.has(message.channelId)) {
          this.communicationWarning(
            `Received channelAck for unknown channel, channelId = ${message.channelId}`,
          );
        }
        return;
      case "signalSubscribe":
      case "writableSignalSubscribe": {
        // No signals are implemented; say so instead of leaving the subscription pending.
        const warning = `Received ${message.type} for unknown endpoint, endpoint = ${message.endpoint}`;
        this.communicationWarning(warning);
        this.send({
          type: message.type === "signalSubscribe" ? "signalError" : "writableSignalError",
          subscribeId: message.subscribeId,
          error: serializeError(new LmsError(unknownEndpointTitle("signal", message.endpoint, this.context))),
        });
        return;
      }
      case "writableSignalUpdate":
        this.communicationWarning(
          `Received writableSignalUpdate for unknown subscription, subscribeId = ${message.subscribeId}`,
        );
        return;
      case "signalUnsubscribe":
      case "writableSignalUnsubscribe":
        return;
      case "communicationWarning":
        this.logger.warn(`[${this.context.namespace}] client communication warning: ${message.warning}`);
        return;
      case "keepAlive":
        this.send({ type: "keepAliveAck" });
        return;
    }
  }

  private receivedRpcCall(message: Extract<ClientMessage, { type: "rpcCall" }>): void {
    const { callId } = message;
    const endpoint = Object.hasOwn(this.endpoints.rpc, message.endpoint)
      ? this.endpoints.rpc[message.endpoint]
      : undefined;
    if (endpoint === undefined) {
      this.communicationWarning(`Received rpcCall for unknown endpoint, endpoint = ${message.endpoint}`);
      this.send({
        type: "rpcError",
        callId,
        error: serializeError(new LmsError(unknownEndpointTitle("RPC", message.endpoint, this.context))),
      });
      return;
    }
    const parameter = endpoint.parameter.safeParse(message.parameter);
    if (!parameter.success) {
      const summary = zodSummary(parameter.error);
      this.communicationWarning(
        `Received invalid parameter for rpcCall, endpointName = ${message.endpoint}. Zod error: ${summary}`,
      );
      this.send({
        type: "rpcError",
        callId,
        error: serializeError(
          new LmsError(`Invalid parameter for RPC endpoint "${message.endpoint}"`, { cause: summary }),
        ),
      });
      return;
    }
    Promise.resolve()
      .then(() => endpoint.handler(parameter.data, this.context))
      .then(
        (result) =>
          this.send(
            result === undefined ? { type: "rpcResult", callId } : { type: "rpcResult", callId, result },
          ),
        (error: unknown) => {
          this.logAsHandlerError(`rpc ${message.endpoint}`, error);
          this.send({ type: "rpcError", callId, error: serializeError(error) });
        },
      );
  }

  private receivedChannelCreate(message: Extract<ClientMessage, { type: "channelCreate" }>): void {
    const { channelId } = message;
    const endpoint = Object.hasOwn(this.endpoints.channel, message.endpoint)
      ? this.endpoints.channel[message.endpoint]
      : undefined;
    if (endpoint === undefined) {
      this.communicationWarning(
        `Received channelCreate for unknown endpoint, endpoint = ${message.endpoint}`,
      );
      this.send({
        type: "channelError",
        channelId,
        error: serializeError(new LmsError(unknownEndpointTitle("channel", message.endpoint, this.context))),
      });
      return;
    }
    if (this.channels.has(channelId)) {
      this.communicationWarning(`Received channelCreate for already open channel, channelId = ${channelId}`);
      return;
    }
    const parameter = endpoint.creationParameter.safeParse(message.creationParameter);
    if (!parameter.success) {
      const summary = zodSummary(parameter.error);
      this.communicationWarning(
        `Received invalid creationParameter for channel, endpointName = ${message.endpoint}. Zod error: ${summary}`,
      );
      this.send({
        type: "channelError",
        channelId,
        error: serializeError(
          new LmsError(`Invalid creation parameter for channel endpoint "${message.endpoint}"`, {
            cause: summary,
          }),
        ),
      });
      return;
    }
    const open: OpenChannel = { endpoint, listeners: [], pending: [], open: true };
    this.channels.set(channelId, open);
    const serverChannel = {
      send: (packet: unknown) => {
        if (open.open) this.send({ type: "channelSend", channelId, message: packet });
      },
      onMessage: (listener: (packet: { type: "cancel" }) => void) => {
        open.listeners.push(listener);
        for (const packet of open.pending.splice(0)) listener(packet);
      },
      socketClosed: this.closeController.signal,
    };
    // Started synchronously so it subscribes to client packets before the next frame is handled.
    let running: Promise<void>;
    try {
      running = endpoint.handler(parameter.data, serverChannel, this.context);
    } catch (error) {
      running = Promise.reject(error);
    }
    running
      .then(
        () => {
          if (open.open) this.send({ type: "channelClose", channelId });
        },
        (error: unknown) => {
          this.logAsHandlerError(`channel ${message.endpoint}`, error);
          if (open.open) this.send({ type: "channelError", channelId, error: serializeError(error) });
        },
      )
      .finally(() => {
        open.open = false;
        this.channels.delete(channelId);
      });
  }

  private receivedChannelSend(message: Extract<ClientMessage, { type: "channelSend" }>): void {
    const open = this.channels.get(message.channelId);
    if (open === undefined) {
      this.communicationWarning(`Received channelSend for unknown channel, channelId = ${message.channelId}`);
      return;
    }
    const schema: z.ZodType<{ type: "cancel" }> | null = open.endpoint.toServerPacket;
    const packet = schema?.safeParse(message.message);
    if (packet === undefined || !packet.success) {
      this.communicationWarning(
        `Received invalid message for channel, channelId = ${message.channelId}: ${JSON.stringify(message.message)}`,
      );
      return;
    }
    if (open.listeners.length === 0) open.pending.push(packet.data);
    for (const listener of [...open.listeners]) listener(packet.data);
  }

  private logAsHandlerError(what: string, error: unknown): void {
    const title =
      error instanceof LmsError ? error.title : error instanceof Error ? error.message : String(error);
    this.logger.info(`[${this.context.namespace}] ${what} failed: ${title}`);
  }
}

function unknownEndpointTitle(kind: string, endpoint: string, context: RequestContext): string {
  return `Unknown ${kind} endpoint "${endpoint}" on the /${context.namespace} socket: the LM Studio emulator does not implement it`;
}

function zodSummary(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length === 0 ? "(root)" : issue.path.join(".")}: ${issue.message}`)
    .join("; ");
}
