import { describe, expect, test } from "vitest";
import { contextFaultFleet } from "../test/support/context-fault-fleet.js";
import { GiB } from "../test/support/test-fleet.js";
import { loadFails, loadHangs, resolveFaults } from "./faults.js";
import { type Fleet, type FleetModel, parseFleet } from "./fleet/schema.js";
import { lmStudio04Fleet, noGuardrailFleet } from "./fleet/variant-fleets.js";
import { planLoad } from "./load-plan.js";
import { hiddenInMemoryLimit, hiddenLoadableLimit } from "./memory.js";

const fleet = parseFleet(contextFaultFleet);
const model = (key: string): FleetModel => {
  const found = fleet.models.find((candidate) => candidate.modelKey === key);
  if (found === undefined) throw new Error(`no ${key} in the context-fault fleet`);
  return found;
};
const memory = { memoryBytes: 16 * GiB, committedBytes: 0 };

describe("planLoad", () => {
  test("says what LM Studio does with a request before any progress", () => {
    const plan = (key: string, requested: number) =>
      planLoad(model(key), resolveFaults(model(key)), requested, memory);
    expect(plan("plain-8b", 100_000)).toMatchObject({ outcome: "refused", applied: 100_000 });
    expect(plan("round", 40_000)).toMatchObject({ outcome: "loads", applied: 40_192 });
    expect(plan("ignores", 10)).toMatchObject({ outcome: "loads", applied: 32_768 });
    expect(plan("auto-fit", 131_072)).toMatchObject({ outcome: "loads", applied: 94_208 });
    expect(plan("no-guardrail", 100_000)).toMatchObject({ outcome: "outOfMemory", stage: "context" });
    expect(plan("no-guardrail-huge", 10)).toMatchObject({ outcome: "outOfMemory", stage: "weights" });
    expect(plan("spills", 100_000)).toMatchObject({ outcome: "loads", spillsToSystemMemory: true });
    expect(plan("spills", 94_208)).toMatchObject({ outcome: "loads", spillsToSystemMemory: false });
  });
});

describe("hiddenLoadableLimit and hiddenInMemoryLimit with the 0.4 faults", () => {
  test("are the exact largest applied context that loads", () => {
    expect(hiddenLoadableLimit(model("round"), 16 * GiB)).toBe(94_208);
    expect(hiddenLoadableLimit(model("ignores"), 16 * GiB)).toBe(32_768);
    expect(hiddenLoadableLimit(model("ignores-at"), 16 * GiB)).toBe(12_345);
    // The ignored request only loads while it fits next to what is loaded.
    expect(hiddenLoadableLimit(model("ignores"), 16 * GiB, 14 * GiB)).toBe(0);
    expect(hiddenLoadableLimit(model("auto-fit-round"), 16 * GiB)).toBe(120_576);
    expect(hiddenLoadableLimit(model("no-guardrail"), 16 * GiB)).toBe(94_208);
    expect(hiddenLoadableLimit(model("no-guardrail-huge"), 16 * GiB)).toBe(0);
    expect(hiddenLoadableLimit(model("spills"), 16 * GiB)).toBe(225_280);
    expect(hiddenInMemoryLimit(model("spills"), 16 * GiB)).toBe(94_208);
    expect(hiddenInMemoryLimit(model("round"), 16 * GiB)).toBe(94_208);
    // 20,000 for every request, and 20,000 > hangAbove 16,384: nothing ever finishes loading.
    expect(hiddenLoadableLimit(model("ignores-hangs"), 16 * GiB)).toBe(0);
    expect(hiddenLoadableLimit(model("round-reduce"), 16 * GiB)).toBe(50_500);
    expect(hiddenLoadableLimit(model("auto-fit-fails"), 16 * GiB)).toBe(90_000);
  });

  /** Every request from 1 to beyond memory, in steps, plus the neighbours of the claimed limit. */
  function requestsAround(limit: number): number[] {
    const requests = new Set([1, limit - 1, limit, limit + 1, 2 * limit + 7, 10_000_000]);
    for (let requested = 1; requested < 400_000; requested += 997) requests.add(requested);
    return [...requests].filter((requested) => requested >= 1);
  }

  function largestSuccessfulApplied(m: FleetModel, f: Fleet, requests: readonly number[], spill: boolean) {
    const faults = resolveFaults(m);
    let best = 0;
    for (const requested of requests) {
      const plan = planLoad(m, faults, requested, { memoryBytes: f.memoryBytes, committedBytes: 0 });
      if (plan.outcome !== "loads" || (plan.spillsToSystemMemory && !spill)) continue;
      if (loadHangs(faults, plan.applied) || loadFails(faults, plan.applied)) continue;
      best = Math.max(best, plan.applied);
    }
    return best;
  }

  test.each([
    ["the context-fault fleet", fleet],
    ["the 0.4-like fleet", lmStudio04Fleet()],
    ["the no-guardrail fleet", noGuardrailFleet()],
  ])("agree with a sweep of requests on %s", (_name, swept) => {
    for (const m of swept.models) {
      const limit = hiddenLoadableLimit(m, swept.memoryBytes);
      // The sweep cannot find more than the limit, and the limit itself is reached by some request.
      const requests = requestsAround(limit);
      expect(largestSuccessfulApplied(m, swept, requests, true), m.modelKey).toBeLessThanOrEqual(limit);
      expect(largestSuccessfulApplied(m, swept, [...requests, limit], true), m.modelKey).toBe(limit);
      const inMemory = hiddenInMemoryLimit(m, swept.memoryBytes);
      expect(largestSuccessfulApplied(m, swept, [...requestsAround(inMemory)], false), m.modelKey).toBe(
        inMemory,
      );
    }
  });
});
