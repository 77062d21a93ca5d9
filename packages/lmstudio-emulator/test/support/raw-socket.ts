import WebSocket from "ws";

export type Frame = Record<string, unknown> & { type?: string };

/** A bare WebSocket client speaking LM Studio's framing, for protocol-level tests. */
export class RawSocket {
  readonly frames: Frame[] = [];
  private waiters: Array<() => void> = [];

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      this.frames.push(JSON.parse(String(data)) as Frame);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static async open(url: string): Promise<RawSocket> {
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    return new RawSocket(ws);
  }

  /** Opens `${baseUrl}/${namespace}` and completes the auth handshake. */
  static async authenticated(
    baseUrl: string,
    namespace: string,
    clientIdentifier = "raw-client",
  ): Promise<RawSocket> {
    const socket = await RawSocket.open(`${baseUrl}/${namespace}`);
    socket.send({ authVersion: 1, clientIdentifier, clientPasskey: "raw-passkey" });
    const reply = await socket.next(() => true);
    if (reply.success !== true) throw new Error(`auth failed: ${JSON.stringify(reply)}`);
    return socket;
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** The first received frame (consumed) matching the predicate; waits up to `ms`. */
  async next(predicate: (frame: Frame) => boolean, ms = 2000): Promise<Frame> {
    const deadline = Date.now() + ms;
    for (;;) {
      const index = this.frames.findIndex(predicate);
      if (index !== -1) return this.frames.splice(index, 1)[0] as Frame;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching frame; received ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.ws.terminate();
  }
}
