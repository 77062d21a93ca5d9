import { isFinishedRunStatus } from "@lmstrix/core";
import { describe, expect, it } from "vitest";
import type { ZodError } from "zod";
import { refusal, routerHarness, waitUntil } from "../support/router-caller";

const harness = routerHarness();

async function runEnd(runId: number) {
  const api = harness.caller();
  await waitUntil(`run #${runId} to end`, async () =>
    isFinishedRunStatus((await api.run.get({ id: runId })).status),
  );
  return api.run.get({ id: runId });
}

describe("run router", () => {
  it("queues a run that the server's worker runs to its end, recorded with who started it", async () => {
    const api = harness.caller("ada");
    await api.host.scan({ id: harness.localHostId });
    const { id } = await api.run.start({
      hostId: harness.localHostId,
      modelKeys: ["small"],
      options: { cooldownMs: 0 },
    });
    const run = await runEnd(id);
    expect(run).toMatchObject({
      status: "completed",
      mode: "single",
      startedBy: "ada",
      host: { name: "local" },
    });
    expect(run.options.modelKeys).toEqual(["small"]);
    const listed = await api.run.list({ hostId: harness.localHostId });
    expect(listed.map((entry) => entry.id)).toContain(id);
    expect(listed.find((entry) => entry.id === id)?._count.probes).toBeGreaterThan(0);
    const timings = await api.run.hostTimings({ id });
    expect(timings).toBeDefined();
    expect((await api.run.list({ status: "completed" })).every((entry) => entry.status === "completed")).toBe(
      true,
    );
  });

  it("a fixed context makes a fixed-ctx run; test all makes an all run", async () => {
    const api = harness.caller();
    const fixed = await api.run.start({
      hostId: harness.localHostId,
      modelKeys: ["small"],
      options: { fixedContext: 4_096, cooldownMs: 0 },
    });
    expect((await runEnd(fixed.id)).mode).toBe("fixed-ctx");
    const all = await api.run.start({ hostId: harness.localHostId, all: true, options: { cooldownMs: 0 } });
    const ended = await runEnd(all.id);
    expect(ended.mode).toBe("all");
    expect(ended.options.modelKeys).toEqual([]);
    // The list says what each run was asked to test, as `lmstrix runs` does.
    const listed = new Map((await api.run.list()).map((entry) => [entry.id, entry]));
    expect(listed.get(fixed.id)).toMatchObject({ scope: "small @ 4,096", modelKeys: ["small"] });
    expect(listed.get(all.id)).toMatchObject({ scope: "all", modelKeys: [] });
  });

  it("refuses requests that would silently ignore part of what was asked", async () => {
    const api = harness.caller();
    const hostId = harness.localHostId;
    const none = await refusal(api.run.start({ hostId, modelKeys: [] }));
    expect(none.code).toBe("BAD_REQUEST");
    expect((none.cause as ZodError).issues).toMatchObject([
      { path: ["modelKeys"], message: "Choose at least one model, or test all" },
    ]);

    const cases: [Parameters<typeof api.run.start>[0], string[], string][] = [
      [{ hostId, all: true, modelKeys: ["small"] }, ["modelKeys"], "give either model keys or all, not both"],
      [
        { hostId, modelKeys: ["small"], options: { effective: true, fixedContext: 4_096 } },
        ["options", "effective"],
        "the effective search does not combine with a fixed context",
      ],
      [
        { hostId, modelKeys: ["small"], options: { recallThreshold: 0.5 } },
        ["options", "recallThreshold"],
        "recallThreshold needs effective: true",
      ],
      [
        { hostId, modelKeys: ["small"], options: { effective: true, recallThreshold: 0 } },
        ["options", "recallThreshold"],
        "the recall threshold must be above 0 (0 would pass every filled check)",
      ],
    ];
    for (const [input, path, message] of cases) {
      const refused = await refusal(api.run.start(input));
      expect(refused.code).toBe("BAD_REQUEST");
      expect((refused.cause as ZodError).issues).toMatchObject([{ path, message }]);
    }

    const unknownModel = await refusal(api.run.start({ hostId, modelKeys: ["nowhere"] }));
    expect(unknownModel.code).toBe("NOT_FOUND");
    expect(unknownModel.message).toBe('No model "nowhere" on host local; scan the host first');
    const unknownHost = await refusal(api.run.start({ hostId: 9_999, modelKeys: ["small"] }));
    expect(unknownHost.message).toBe("No host with id 9999");
  });

  it("a second test all while the first is waiting is refused; cancel ends a queued run", async () => {
    const api = harness.caller();
    const hostId = harness.localHostId;
    // A long search holds the host, so the test all after it stays queued.
    const holding = await api.run.start({
      hostId,
      modelKeys: ["large"],
      options: { strategy: "lmstrix", reset: true, cooldownMs: 0 },
    });
    const first = await api.run.start({ hostId, all: true, options: { reset: true } });
    const second = await refusal(api.run.start({ hostId, all: true, options: { reset: true } }));
    expect(second.code).toBe("CONFLICT");
    expect(second.message).toContain(`#${first.id}`);

    expect(await api.run.cancel({ id: first.id })).toEqual({ id: first.id, status: "cancelled" });
    expect((await api.run.cancel({ id: holding.id })).id).toBe(holding.id);
    expect((await runEnd(holding.id)).status).toBe("cancelled");
    expect((await api.run.get({ id: first.id })).status).toBe("cancelled");
  });

  it("names the run it does not know", async () => {
    const api = harness.caller();
    for (const call of [
      api.run.get({ id: 9_999 }),
      api.run.cancel({ id: 9_999 }),
      api.run.hostTimings({ id: 9_999 }),
      api.run.skipModel({ id: 9_999, modelKey: "small" }),
    ]) {
      const missing = await refusal(call);
      expect(missing.code).toBe("NOT_FOUND");
      expect(missing.message).toContain("9999");
    }
  });

  it("a skip for a model that is not in flight is refused as a conflict", async () => {
    const api = harness.caller();
    const { id } = await api.run.start({
      hostId: harness.localHostId,
      modelKeys: ["small"],
      options: { cooldownMs: 0 },
    });
    await runEnd(id);
    const refused = await refusal(api.run.skipModel({ id, modelKey: "small" }));
    expect(refused.code).toBe("CONFLICT");
  });
});
