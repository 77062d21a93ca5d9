import { openDatabase } from "@lmstrix/db";
import { expect, test } from "@playwright/test";
import { readRunEvents } from "../support/run-events";
import { ok, trpcGet } from "../support/trpc";
import {
  allExpectations,
  everyEmulatorFault,
  FAULT_FLEET,
  faultModelKey,
  faultsCovered,
} from "./fault-fleet";
import { localHost, startRun, waitForRunEnd, withStack } from "./support";

/**
 * "Test all" started from the dashboard over a fleet with a model for every fault the emulator can play: the
 * run ends, every model is settled with the verdict its fault calls for, and LM Studio is left as found.
 */

interface ModelRow {
  id: number;
  modelKey: string;
  testStatus: string;
  loadableLimit: number | null;
  effectiveLimit: number | null;
  errorCategory: string | null;
}
interface ProbeRow {
  runId: number;
  kind: string;
  outcome: string | null;
  errorCategory: string | null;
  isTruncated: boolean | null;
  finishedAt: string | null;
}
/** Each model's reason in the run's `model.finished` event, by model key. */
async function finishedReasons(dataDir: string, runId: number): Promise<Map<string, string>> {
  const db = await openDatabase({ dataDir });
  try {
    const reasons = new Map<string, string>();
    for (const event of await readRunEvents(db, runId)) {
      if (event.type === "model.finished" && event.payload.reason) {
        reasons.set(event.payload.modelKey, event.payload.reason);
      }
    }
    return reasons;
  } finally {
    await db.close();
  }
}

test("fault matrix: every emulator fault in one dashboard batch, each settled with its own verdict", async ({
  page,
}) => {
  // A fault added to the emulator must get a model here, or this proof would silently stop covering it.
  const uncovered = [...everyEmulatorFault()].filter((fault) => !faultsCovered(FAULT_FLEET).has(fault));
  expect(uncovered, "emulator faults without a model in the fault fleet").toEqual([]);

  const stack = {
    name: "fault-matrix",
    emulator: { fleet: FAULT_FLEET, timeScale: 0.001, seed: 3 },
    webEnv: {
      // A hung load is given up after 300 ms (loads here take a few ms), then retried twice.
      LMSTRIX_LOAD_TIMEOUT_MS: "300",
      LMSTRIX_TIMEOUT_PAUSE_MS: "20",
      // The dropped connection comes back at once; a run must not wait minutes if it did not.
      LMSTRIX_RECONNECT_TIMEOUT_MS: "10000",
    },
  };
  await withStack(stack, async ({ dataDir, emulator, web }) => {
    const hostId = (await localHost(web.baseUrl)).id;
    const runId = await startRun(web.baseUrl, {
      hostId,
      all: true,
      options: { cooldownMs: 0, effective: true },
    });

    const run = await waitForRunEnd(web.baseUrl, runId, { timeoutMs: 150_000 });
    expect(run, web.output().slice(-3000)).toMatchObject({ status: "completed", message: null });

    const models = ok(await trpcGet<ModelRow[]>(web.baseUrl, "model.list", { hostId }), "model.list");
    const byKey = new Map(models.map((model) => [model.modelKey, model]));
    // None is left at `testing` or `untested`: every model of the fleet is an LLM the batch had to settle.
    expect(models).toHaveLength(FAULT_FLEET.models.length);
    for (const model of models) expect(["completed", "failed"], model.modelKey).toContain(model.testStatus);

    const probesOf = new Map<string, ProbeRow[]>();
    for (const model of models) {
      const detail = ok(
        await trpcGet<{ probes: ProbeRow[] }>(web.baseUrl, "model.get", { id: model.id }),
        "model.get",
      );
      probesOf.set(
        model.modelKey,
        detail.probes.filter((probe) => probe.runId === run.id),
      );
    }
    const reasons = await finishedReasons(dataDir, runId);

    for (const expected of allExpectations()) {
      const model = byKey.get(expected.modelKey)!;
      const probes = probesOf.get(model.modelKey)!;
      const what = `${expected.modelKey}: ${JSON.stringify(model)}`;
      expect(model.testStatus, what).toBe(expected.status);
      expect(probes.length, what).toBeGreaterThan(0);
      // No probe left open: each one ended with a verdict.
      expect(
        probes.every((probe) => probe.outcome !== null && probe.finishedAt !== null),
        what,
      ).toBe(true);
      const categories = new Set(probes.map((probe) => probe.errorCategory));
      // A search closed by a sibling's failure (same KV cache, weights no lighter) ends on that sibling's probe.
      const sibling = reasons.get(model.modelKey)?.match(/\((\S+), sharing its KV cache/)?.[1];
      for (const probe of (sibling && probesOf.get(sibling)) || []) categories.add(probe.errorCategory);

      if (expected.status === "failed") {
        expect(model.errorCategory, what).toBe(expected.category);
        expect(model.loadableLimit, what).toBeNull();
        continue;
      }
      expect(model.errorCategory, what).toBeNull();
      if (expected.category) expect([...categories], what).toContain(expected.category);
      if (expected.limit !== undefined) expect(model.loadableLimit, what).toBe(expected.limit);
      if (expected.limitBelow !== undefined) {
        expect(model.loadableLimit, what).toBeLessThan(expected.limitBelow);
        // Found within the search's precision (1 % or 256 tokens) below the threshold, not far under it.
        expect(model.loadableLimit!, what).toBeGreaterThan(expected.limitBelow * 0.97 - 256);
      }
      if (expected.effectiveBelow !== undefined) {
        expect(model.effectiveLimit!, what).toBeLessThan(expected.effectiveBelow);
        expect(model.effectiveLimit!, what).toBeGreaterThan(0);
        expect(
          probes.some((probe) => probe.kind === "effective" && probe.isTruncated === true),
          what,
        ).toBe(true);
      } else {
        expect(model.effectiveLimit, what).toBe(model.loadableLimit);
      }
    }

    // The Run page says how each model ended, a spill into system memory included.
    await page.goto(`${web.baseUrl}/runs/${runId}`);
    await expect(
      page.getByTestId("model-result").filter({ hasText: faultModelKey("spillToRam") }),
    ).toContainText(/loads but spills to system memory above [\d,]+ tokens/);

    // The faults really fired (a crash, a dropped connection), and LM Studio is left as it was found.
    const counters = emulator.current!.state.counters;
    expect(counters.crashes).toBeGreaterThan(0);
    expect(counters.disconnects).toBe(1);
    expect(counters.loadsCancelled).toBeGreaterThan(0);
    expect(emulator.current!.state.loaded).toEqual([]);
    // One load at a time, all batch long.
    expect(counters.maxConcurrentLoads).toBe(1);
    console.log(
      `fault matrix: run #${run.id} settled ${models.length} models`,
      models.map(
        (model) => `${model.modelKey}=${model.testStatus}:${model.loadableLimit ?? model.errorCategory}`,
      ),
      JSON.stringify(counters),
    );
  });
});
