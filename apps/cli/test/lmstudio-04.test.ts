import type { ProbeRecord } from "@lmstrix/core";
import { type FleetInput, hiddenInMemoryLimit, parseFleet } from "@lmstrix/lmstudio-emulator";
import { describe, expect, it } from "vitest";
import { runInProcess } from "./support/cli";
import { useEmulatorHost } from "./support/emulator-host";
import { GiB, KiB, llm } from "./support/fleet";
import { openStore } from "./support/store";

/**
 * The context LM Studio 0.4 applies is not always the one asked for. Each model here has one of its
 * behaviours, on 8 GiB machines where a 1 GiB model with 64 KiB per token fits 106,496 tokens in memory: one
 * host with LM Studio's guardrail, one where it is switched off.
 */
const GUARDED: FleetInput = {
  memoryBytes: 8 * GiB,
  lmStudioVersion: "0.4.23",
  models: [
    llm("rounds", { faults: [{ roundContext: 256 }] }),
    llm("ignores", { maxContextLength: 65_536, faults: [{ ignoresRequestedContext: 40_000 }] }),
    llm("fits", { faults: ["autoFit"] }),
  ],
};
const UNGUARDED: FleetInput = {
  memoryBytes: 8 * GiB,
  lmStudioVersion: "0.4.23",
  models: [
    llm("no-guardrail", { faults: ["noGuardrail"] }),
    llm("no-guardrail-next", { faults: ["noGuardrail"] }),
    llm("spills", { faults: ["noGuardrail", { spillToRam: 2 }] }),
  ],
};
const inMemory = (fleetInput: FleetInput, key: string) => {
  const fleet = parseFleet(fleetInput);
  return hiddenInMemoryLimit(fleet.models.find((model) => model.modelKey === key)!, fleet.memoryBytes);
};
const FITS = 106_496;

interface Report {
  run: { id: number; status: string };
  results: { modelKey: string; status: string; limit: number | null; reason: string | null }[];
}

/**
 * Tests one model with `lmstrix test KEY` (the fit search unless `args` say otherwise); its result, its probes,
 * the loads LM Studio saw.
 */
function modelTester(lmStudio: ReturnType<typeof useEmulatorHost>) {
  return async (modelKey: string, args: string[] = []) => {
    const loadsBefore = lmStudio.emulator.state.counters.loadsStarted;
    const argv = ["test", modelKey, ...args, "--cooldown", "0", "--json"];
    const result = await runInProcess(argv, lmStudio.env());
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.run.status).toBe("completed");
    const { store, close } = await openStore(lmStudio.dataDir);
    try {
      const model = (await store.getModel(1, modelKey))!;
      const probes: ProbeRecord[] = (await store.listRunProbes(report.run.id)).filter(
        (probe) => probe.modelId === model.id,
      );
      const finished = (await store.listEventsAfter(report.run.id, 0, 1_000)).find(
        (event) => event.type === "model.finished",
      );
      return {
        result: report.results[0]!,
        stderr: result.stderr,
        model,
        probes,
        storedReason: finished?.payload.reason,
        loads: lmStudio.emulator.state.counters.loadsStarted - loadsBefore,
      };
    } finally {
      await close();
    }
  };
}

describe("lmstrix test against LM Studio 0.4 with its guardrail: what it applies is not what was asked", () => {
  const lmStudio = useEmulatorHost({ fleet: GUARDED, timeScale: 0.001, seed: 3 });
  const test = modelTester(lmStudio);

  it("rounding: a request rounded up counts as the request; the limit is the applied size proven", async () => {
    const { result, model, probes } = await test("rounds");
    expect(inMemory(GUARDED, "rounds")).toBe(FITS);
    expect(result.status).toBe("completed");
    expect(result.limit! % 256).toBe(0);
    expect(result.limit).toBeLessThanOrEqual(FITS);
    expect(FITS - result.limit!).toBeLessThanOrEqual(1_065);
    expect(probes.some((probe) => probe.contextApplied! > probe.contextRequested)).toBe(true);
    // Never credited above a size that passed as applied.
    const proven = Math.max(...probes.filter((p) => p.outcome === "pass").map((p) => p.contextApplied!));
    expect(model.loadableLimit).toBe(proven);
  });

  it("an ignored request: two loads, the verdict shown and stored, the size it loads as the limit", async () => {
    // lmstrix's search starts small (2,048, then the threshold), so LM Studio grows both loads to 40,000.
    const { result, stderr, model, probes, storedReason, loads } = await test("ignores", [
      "--strategy",
      "lmstrix",
    ]);
    const verdict = "LM Studio on this host loads 40,000 whatever is asked";
    expect(result).toMatchObject({ status: "completed", limit: 40_000, reason: verdict });
    expect(stderr).toContain(`■ ignores: ✓ loadable limit 40,000 of 65,536 (61.0%) — ${verdict}`);
    expect(storedReason).toBe(verdict);
    expect(model).toMatchObject({ testStatus: "completed", loadableLimit: 40_000 });
    expect(loads).toBe(2);
    expect(probes.map((probe) => probe.contextApplied)).toEqual([40_000, 40_000]);
    expect(new Set(probes.map((probe) => probe.contextRequested)).size).toBe(2);

    // fit goes for the declared size behind a guardrail: LM Studio loads less than asked, which ends it at once.
    const again = await test("ignores", ["--reset"]);
    expect(again.result).toMatchObject({ status: "completed", limit: 40_000 });
    expect(again.loads).toBeLessThanOrEqual(2);
  });

  it("auto-fit: a load fitted below its request is the limit, at what was applied", async () => {
    const { result, probes } = await test("fits");
    expect(result.limit).toBe(FITS);
    expect(result.reason).toMatch(/^LM Studio loaded 106,496 tokens when asked for [\d,]+$/);
    const last = probes.at(-1)!;
    expect(last).toMatchObject({ outcome: "pass", contextApplied: FITS });
    expect(last.contextRequested).toBeGreaterThan(FITS);
    // Nothing above the fitted size was asked after it: it was the end.
    expect(probes.filter((probe) => probe.contextRequested > FITS)).toHaveLength(1);
  });
});

describe("lmstrix test against LM Studio 0.4 without its guardrail", () => {
  const lmStudio = useEmulatorHost({ fleet: UNGUARDED, timeScale: 0.001, seed: 3 });
  const test = modelTester(lmStudio);

  it("no guardrail: loads out of memory are INSUFFICIENT_RESOURCES with no figure, and fit brackets", async () => {
    const { result, probes } = await test("no-guardrail");
    expect(result.status).toBe("completed");
    expect(result.limit).toBeLessThanOrEqual(FITS);
    expect(FITS - result.limit!).toBeLessThanOrEqual(1_065);
    const outOfMemory = probes.filter((probe) => probe.outcome === "fail");
    expect(outOfMemory.length).toBeGreaterThan(0);
    for (const probe of outOfMemory) {
      expect(probe).toMatchObject({ errorCategory: "INSUFFICIENT_RESOURCES", requiredBytes: null });
      expect(probe.errorMessage).toContain("cudaMalloc failed: out of memory");
    }
    expect(probes.every((probe) => probe.requiredBytes === null)).toBe(true);
  });

  it("no guardrail: the KV cache an out-of-memory load names measures the next model, in fewer loads", async () => {
    // After "no-guardrail" above, whose passes and failures bracket the host's memory less its overhead.
    const { result, probes, loads } = await test("no-guardrail-next");
    expect(result.status).toBe("completed");
    expect(result.limit).toBeLessThanOrEqual(FITS);
    expect(FITS - result.limit!).toBeLessThanOrEqual(1_065);
    const outOfMemory = probes.filter((probe) => probe.outcome === "fail");
    // llama.cpp's "failed to allocate CUDA0 buffer of size N" for the KV cache: the context × 64 KiB a token.
    expect(outOfMemory[0]?.failedKvCacheBytes).toBe(outOfMemory[0]!.contextRequested * 64 * KiB);
    // The threshold, doubling until the first failure measures it, then its predicted limit and one step above:
    // no bisection, and no speed reference (the arithmetic shows its passes fitted in memory).
    expect(loads).toBeLessThanOrEqual(5);
    expect(probes.map((probe) => probe.contextRequested)).not.toContain(2_048);
    const lmstrix = await test("no-guardrail-next", ["--strategy", "lmstrix", "--reset"]);
    expect(lmstrix.result.limit).toBeLessThanOrEqual(FITS);
    expect(loads * 2).toBeLessThanOrEqual(lmstrix.loads);
  });

  it("spilling: passes 10× slower above memory; the limit stays below, and the end says so", async () => {
    const { result, stderr, probes, storedReason } = await test("spills");
    expect(inMemory(UNGUARDED, "spills")).toBe(FITS);
    expect(result.limit).toBeLessThanOrEqual(FITS);
    expect(FITS - result.limit!).toBeLessThanOrEqual(1_065);
    expect(result.reason).toMatch(/^loads but spills to system memory above [\d,]+ tokens \(found between /);
    expect(storedReason).toBe(result.reason);
    expect(stderr).toContain("— loads but spills to system memory above");
    // The spilled loads passed their check (slowly): they are kept as passes, only not credited.
    const spilled = probes.filter((probe) => probe.outcome === "pass" && probe.contextApplied! > FITS);
    expect(spilled.length).toBeGreaterThan(0);
    const fast = probes.find((probe) => probe.outcome === "pass" && probe.contextApplied! <= FITS)!;
    for (const probe of spilled)
      expect(probe.genTokensPerSec! * 5).toBeLessThanOrEqual(fast.genTokensPerSec!);
  });
});
