import { describe, expect, it } from "vitest";
import type { RunEventRow } from "../domain/event";
import type { WebhookFailureInput } from "../ports/notification-store";
import type { RunRecord } from "../ports/store";
import { type NotifyRunEndDeps, notifyRunEnd } from "./notify-run-end";

const events: RunEventRow[] = [
  { type: "model.finished", payload: { modelKey: "m", status: "completed" } },
  {
    type: "model.limitChanged",
    payload: {
      modelKey: "m",
      kind: "loadable",
      from: 60_000,
      to: 48_000,
      direction: "regression",
      description: "60,000 → 48,000 after LM Studio 0.3.20 → 0.4.21",
    },
  },
  { type: "run.finished", payload: { status: "completed", message: null } },
].map((event, index) => ({ ...event, id: index + 1, runId: 9, createdAt: new Date() }));

/** A run #9 of host 2 with `events`; `hostUrl` is the host's own webhook; records what was POSTed and failed. */
function deps(hostUrl: string | null, defaultWebhookUrl: string | undefined, status = 200) {
  const posted: { url: string; body: { event: string } }[] = [];
  const failures: WebhookFailureInput[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    posted.push({ url, body: JSON.parse(String(init.body)) });
    return new Response(null, { status });
  }) as typeof globalThis.fetch;
  const value: NotifyRunEndDeps = {
    store: {
      getRun: async (id) => (id === 9 ? ({ id: 9, hostId: 2 } as RunRecord) : null),
      getHost: async () => ({
        id: 2,
        name: "gpu-box",
        url: "ws://x:1",
        enabled: true,
        lmstudioHome: null,
        lmStudioVersion: null,
      }),
      // One page, then none: the use case pages through a long run's events.
      listEventsAfter: async (_runId, afterId) =>
        events.filter((event) => event.id > afterId).slice(0, 1_000),
    },
    notifications: {
      hostWebhookUrl: async () => hostUrl,
      recordWebhookFailure: async (failure) => void failures.push(failure),
    },
    defaultWebhookUrl,
    publicUrl: "http://dash:3000",
    delivery: { fetch, sleep: async () => undefined, tries: 2 },
  };
  return { value, posted, failures };
}

describe("notifying a run's end", () => {
  it("sends the end and each regression to the host's own webhook rather than the global one", async () => {
    const { value, posted } = deps("http://host/hook", "http://global/hook");
    const result = await notifyRunEnd(value, 9);
    expect(result.url).toBe("http://host/hook");
    expect(posted.map(({ url, body }) => [url, body.event])).toEqual([
      ["http://host/hook", "run.finished"],
      ["http://host/hook", "model.regression"],
    ]);
  });

  it("falls back to LMSTRIX_WEBHOOK_URL, and sends nothing when neither is set", async () => {
    const global = deps(null, "http://global/hook");
    await notifyRunEnd(global.value, 9);
    expect(global.posted.map(({ url }) => url)).toEqual(["http://global/hook", "http://global/hook"]);
    const none = deps(null, undefined);
    expect(await notifyRunEnd(none.value, 9)).toEqual({ url: null, sent: [] });
    expect(none.posted).toEqual([]);
  });

  it("records each delivery that failed every try", async () => {
    const { value, failures } = deps(null, "http://global/hook", 500);
    await notifyRunEnd(value, 9);
    expect(failures).toEqual([
      {
        hostId: 2,
        runId: 9,
        event: "run.finished",
        url: "http://global/hook",
        attempts: 2,
        error: "HTTP 500",
      },
      {
        hostId: 2,
        runId: 9,
        event: "model.regression",
        url: "http://global/hook",
        attempts: 2,
        error: "HTTP 500",
      },
    ]);
  });
});
