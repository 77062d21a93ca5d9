import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A local webhook receiver: keeps each POST's path and JSON body, answers 200. */
export class WebhookReceiver {
  readonly received: { path: string; body: Record<string, unknown> }[] = [];
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      let text = "";
      request.on("data", (chunk: Buffer) => {
        text += chunk.toString("utf8");
      });
      request.on("end", () => {
        this.received.push({ path: request.url ?? "", body: JSON.parse(text) as Record<string, unknown> });
        response.end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
