import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { isFinishedRunStatus } from "@lmstrix/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ZodError } from "zod";
import { refusal, routerHarness, waitUntil } from "../support/router-caller";

// Retries 10 ms apart (then 20, 40): the backoff's shape is core's unit test; here, that it is used.
const harness = routerHarness(undefined, {
  LMSTRIX_WEBHOOK_RETRY_MS: "10",
  LMSTRIX_PUBLIC_URL: "http://dash.lan:3000",
});

/** A local webhook receiver: answers each POST with the next scripted status (200 once they run out). */
class Receiver {
  readonly bodies: Record<string, unknown>[] = [];
  statuses: number[] = [];
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      let text = "";
      request.on("data", (chunk: Buffer) => {
        text += chunk.toString("utf8");
      });
      request.on("end", () => {
        this.bodies.push({ ...JSON.parse(text), contentType: request.headers["content-type"] });
        response.statusCode = this.statuses.shift() ?? 200;
        response.end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

describe("notifications", () => {
  const receiver = new Receiver();
  let hookUrl: string;

  beforeAll(async () => {
    hookUrl = await receiver.start();
  });
  afterAll(() => receiver.close());
  beforeEach(() => {
    receiver.bodies.length = 0;
    receiver.statuses = [];
  });

  async function runToEnd() {
    const api = harness.caller();
    await api.host.scan({ id: harness.localHostId });
    const { id } = await api.run.start({
      hostId: harness.localHostId,
      modelKeys: ["small"],
      options: { cooldownMs: 0 },
    });
    await waitUntil(`run #${id} to end`, async () => isFinishedRunStatus((await api.run.get({ id })).status));
    return id;
  }

  it("POSTs the run's end to the host's webhook: status, model counts and the run's link", async () => {
    const api = harness.caller();
    await api.notification.setHostWebhook({ id: harness.localHostId, webhookUrl: hookUrl });
    expect(await api.notification.hostWebhook({ id: harness.localHostId })).toEqual({
      url: hookUrl,
      defaultUrl: null,
    });
    const runId = await runToEnd();
    await waitUntil("the webhook to arrive", async () => receiver.bodies.length > 0);
    expect(receiver.bodies).toEqual([
      {
        event: "run.finished",
        runId,
        host: { id: harness.localHostId, name: "local" },
        status: "completed",
        message: null,
        models: { completed: 1, failed: 0, skipped: 0 },
        link: `http://dash.lan:3000/runs/${runId}`,
        contentType: "application/json",
      },
    ]);
  });

  it("POSTs the end of a queued run cancelled before it starts, which no worker ends", async () => {
    const api = harness.caller();
    const hostId = harness.localHostId;
    await api.notification.setHostWebhook({ id: hostId, webhookUrl: hookUrl });
    await api.host.scan({ id: hostId });
    // A long search holds the host, so the run after it waits in the queue.
    const holding = await api.run.start({
      hostId,
      modelKeys: ["large"],
      options: { strategy: "lmstrix", reset: true, cooldownMs: 0 },
    });
    const queued = await api.run.start({ hostId, modelKeys: ["small"], options: { cooldownMs: 0 } });
    expect(await api.run.cancel({ id: queued.id })).toEqual({ id: queued.id, status: "cancelled" });
    await waitUntil("the queued run's webhook", async () =>
      receiver.bodies.some((body) => body.runId === queued.id),
    );
    expect(receiver.bodies.find((body) => body.runId === queued.id)).toMatchObject({
      event: "run.finished",
      status: "cancelled",
      message: "Cancelled by user",
      link: `http://dash.lan:3000/runs/${queued.id}`,
    });
    await api.run.cancel({ id: holding.id });
    await waitUntil(`run #${holding.id} to end`, async () =>
      isFinishedRunStatus((await api.run.get({ id: holding.id })).status),
    );
    // The running one is its worker's to announce, once: the cancel itself sends nothing for it.
    await waitUntil("the held run's webhook", async () =>
      receiver.bodies.some((body) => body.runId === holding.id),
    );
    expect(receiver.bodies.filter((body) => body.runId === queued.id)).toHaveLength(1);
    expect(receiver.bodies.filter((body) => body.runId === holding.id)).toHaveLength(1);
  });

  it("retries a receiver that fails twice and then answers, recording no failure", async () => {
    receiver.statuses = [500, 503];
    const before = (await harness.caller().notification.failures()).length;
    const runId = await runToEnd();
    await waitUntil("the third attempt", async () => receiver.bodies.length === 3);
    expect(receiver.bodies.map((body) => body.runId)).toEqual([runId, runId, runId]);
    expect(await harness.caller().notification.failures()).toHaveLength(before);
  });

  it("records a delivery that failed every attempt, for the Health page", async () => {
    receiver.statuses = [500, 500, 500, 500];
    const runId = await runToEnd();
    const api = harness.caller();
    await waitUntil("the failure to be recorded", async () =>
      (await api.notification.failures()).some((failure) => failure.runId === runId),
    );
    const [failure] = await api.notification.failures();
    expect(failure).toMatchObject({
      runId,
      event: "run.finished",
      url: hookUrl,
      attempts: 4,
      error: "HTTP 500 Internal Server Error",
    });
    expect(receiver.bodies).toHaveLength(4);
  });

  it("refuses a webhook URL that is not http(s), and clears one with an empty value", async () => {
    const api = harness.caller();
    const refused = await refusal(
      api.notification.setHostWebhook({ id: harness.localHostId, webhookUrl: "ws://x:1" }),
    );
    expect(refused.code).toBe("BAD_REQUEST");
    expect((refused.cause as ZodError).issues).toMatchObject([
      { path: ["webhookUrl"], message: "webhook URL must look like https://example.org/hooks/lmstrix" },
    ]);
    await api.notification.setHostWebhook({ id: harness.localHostId, webhookUrl: "" });
    expect((await api.notification.hostWebhook({ id: harness.localHostId })).url).toBeNull();
  });
});
