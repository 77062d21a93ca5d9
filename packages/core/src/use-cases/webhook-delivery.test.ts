import { describe, expect, it } from "vitest";
import { deliverWebhook, webhookBackoff } from "./webhook-delivery";

/** A fetch that answers each call with the next status (a number) or throws (an Error); records the bodies. */
function scriptedFetch(answers: (number | Error)[]) {
  const bodies: unknown[] = [];
  const fetch = (async (_url: string, init: RequestInit) => {
    bodies.push(JSON.parse(String(init.body)));
    const answer = answers.shift() ?? 200;
    if (answer instanceof Error) throw answer;
    return new Response(null, { status: answer });
  }) as typeof globalThis.fetch;
  return { fetch, bodies };
}

function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

describe("webhook delivery", () => {
  it("backs off exponentially between attempts", () => {
    expect(webhookBackoff(4, 1_000)).toEqual([1_000, 2_000, 4_000]);
    expect(webhookBackoff(1, 1_000)).toEqual([]);
  });

  it("delivers on the first 2xx after failures, waiting 1 s then 2 s", async () => {
    const { fetch, bodies } = scriptedFetch([503, new TypeError("fetch failed"), 204]);
    const { waits, sleep } = recordingSleep();
    const delivery = await deliverWebhook("http://hooks.test/x", { event: "run.finished" }, { fetch, sleep });
    expect(delivery).toEqual({ isDelivered: true, attempts: 3 });
    expect(waits).toEqual([1_000, 2_000]);
    expect(bodies).toEqual([{ event: "run.finished" }, { event: "run.finished" }, { event: "run.finished" }]);
  });

  it("gives up after its tries with the last failure", async () => {
    const { fetch } = scriptedFetch([500, 500, 502]);
    const { waits, sleep } = recordingSleep();
    const delivery = await deliverWebhook("http://hooks.test/x", {}, { fetch, sleep, tries: 3 });
    expect(delivery).toEqual({ isDelivered: false, attempts: 3, error: "HTTP 502" });
    expect(waits).toEqual([1_000, 2_000]);
  });

  it("gives up an attempt that gets no answer within its timeout", async () => {
    const hanging = ((_url: string, init: RequestInit) =>
      new Promise((_resolve, reject) => {
        init.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
      })) as typeof globalThis.fetch;
    const delivery = await deliverWebhook(
      "http://hooks.test/x",
      {},
      { fetch: hanging, tries: 1, timeoutMs: 20 },
    );
    expect(delivery).toEqual({ isDelivered: false, attempts: 1, error: "no answer within 0.02 s" });
  });

  it("makes no further attempt once cancelled (the server stopping)", async () => {
    const stop = new AbortController();
    const { fetch } = scriptedFetch([500, 200]);
    const sleep = async () => {
      stop.abort();
      throw new Error("cancelled");
    };
    const delivery = await deliverWebhook("http://hooks.test/x", {}, { fetch, sleep, signal: stop.signal });
    expect(delivery).toEqual({
      isDelivered: false,
      attempts: 1,
      error: "HTTP 500; stopped: the server is shutting down",
    });
  });
});
