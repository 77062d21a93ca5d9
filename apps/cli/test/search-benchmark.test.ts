import {
  type BenchmarkResult,
  hiddenTruth,
  runSearchBenchmark,
  withModels,
} from "@lmstrix/bench/search-benchmark";
import { DEFAULT_SEARCH_STRATEGY } from "@lmstrix/core";
import { defaultFleet, requiredBytes, startEmulator } from "@lmstrix/lmstudio-emulator";
import { beforeAll, describe, expect, it } from "vitest";
import { parseCommandLine, type TestCommand } from "../src/args";
import { runRequest } from "../src/commands/test";
import { runInProcess, tempDataDir, testEnv } from "./support/cli";
import { openStore } from "./support/store";

/**
 * `pnpm bench:search` in a reduced form: a few models of the emulator's default fleet (16 GiB), each strategy
 * through the real engine, adapter and store. The load counts are the benchmark's to measure
 * (docs/benchmarks.md); here every found limit must be right.
 */
const MODELS = [
  "llama-3.2-1b-instruct", // loads at its declared size
  "llama-3.2-3b-instruct", // stops just below its declared size: the host's first refusals
  "phi-3.5-mini-instruct", // stops far below it
  "llama-3.2-3b-instruct@q8_0", // a quantisation of a model measured before
  "qwen2.5-7b-instruct-1m", // LM Studio silently loads less than asked
  "llama-3-8b-instruct-gradient-1048k", // loads fail above 65,536 although memory would allow more
  "deepseek-r1-distill-qwen-14b", // crashes at ≥ 32,768 although memory would allow more
  "dream-org_dream-v0-instruct-7b", // its cache breaks after every load: the model fails
];
const fleet = withModels(defaultFleet, MODELS);

describe.each(["lmstrix", "fit"] as const)("search benchmark (reduced), %s strategy", (strategy) => {
  let result: BenchmarkResult;

  beforeAll(async () => {
    [result] = (await runSearchBenchmark({ fleet, strategy })) as [BenchmarkResult];
  }, 120_000);

  it("completes the run and finds every limit within the precision, never above the truth", () => {
    expect(result.runStatus).toBe("completed");
    expect(result.models.map((model) => model.modelKey).sort()).toEqual([...MODELS].sort());
    for (const model of result.models) {
      const truth = hiddenTruth(fleet.models.find((m) => m.modelKey === model.modelKey)!, fleet.memoryBytes);
      expect(model.truth).toBe(truth);
      expect(model.isCorrect, `${model.modelKey}: truth ${truth}, found ${model.found}`).toBe(true);
      if (truth === null) expect(model.status, model.modelKey).toBe("failed");
      else {
        expect(model.status, model.modelKey).toBe("completed");
        expect(model.found!, model.modelKey).toBeLessThanOrEqual(truth);
      }
    }
    // The truths cover each case: the declared size, far and just below it, a cap, and a failed model.
    const truths = Object.fromEntries(result.models.map((model) => [model.modelKey, model.truth]));
    expect(truths).toMatchObject({
      "llama-3.2-1b-instruct": 131_072,
      "qwen2.5-7b-instruct-1m": 131_072,
      "llama-3-8b-instruct-gradient-1048k": 65_536,
      "deepseek-r1-distill-qwen-14b": 32_767,
      "dream-org_dream-v0-instruct-7b": null,
    });
  });

  it("ends every search with a pass at the limit and a failure within the precision above it", () => {
    for (const model of result.models.filter((m) => m.found !== null && m.found < m.declared)) {
      const passes = model.probes.filter((p) => p.outcome === "pass").map((p) => p.contextApplied!);
      const failures = model.probes
        .filter((p) => p.outcome === "fail" && p.contextRequested > model.found!)
        .map((p) => p.contextRequested);
      expect(Math.max(...passes), model.modelKey).toBe(model.found);
      if (model.probes.some((p) => p.contextApplied !== null && p.contextApplied < p.contextRequested))
        continue;
      expect(Math.min(...failures) - model.found!, model.modelKey).toBeLessThanOrEqual(
        Math.max(256, Math.ceil(Math.min(...failures) / 100)),
      );
    }
  });

  it("keeps the memory LM Studio said each refused load needs (rounded as LM Studio prints it)", () => {
    const refused = result.models.flatMap((model) =>
      model.probes
        .filter((p) => p.errorCategory === "INSUFFICIENT_RESOURCES")
        .map((p) => ({ model: fleet.models.find((m) => m.modelKey === model.modelKey)!, probe: p })),
    );
    expect(refused.length).toBeGreaterThan(0);
    for (const { model, probe } of refused) {
      const needed = requiredBytes(model, probe.contextRequested);
      expect(probe.requiredBytes, model.modelKey).not.toBeNull();
      expect(Math.abs(probe.requiredBytes! - needed)).toBeLessThanOrEqual(0.005 * 1024 ** 3 + 1);
    }
  });
});

describe("search benchmark (reduced), fit strategy testing the same models again", () => {
  it("finds every limit as right as the first time (from the earlier results on the host)", async () => {
    const [, again] = await runSearchBenchmark({ fleet, strategy: "fit", again: true });
    expect(again?.label).toBe("fit, tested again");
    expect(again?.runStatus).toBe("completed");
    expect(again?.models).toHaveLength(MODELS.length);
    for (const model of again!.models) expect(model.isCorrect, model.modelKey).toBe(true);
  }, 120_000);
});

describe("lmstrix test --strategy", () => {
  it("chooses the search; the run options keep it; anything else is bad usage", () => {
    const fit = parseCommandLine(["test", "--all", "--strategy", "fit"]);
    expect(fit).toMatchObject({ name: "test", strategy: "fit" });
    expect(runRequest(fit as TestCommand).options.strategy).toBe("fit");
    const plain = parseCommandLine(["test", "some-model"]) as TestCommand;
    expect(plain.strategy).toBeUndefined();
    expect(runRequest(plain).options.strategy).toBe(DEFAULT_SEARCH_STRATEGY);
    expect(
      runRequest(parseCommandLine(["test", "m", "--strategy", "lmstrix"]) as TestCommand).options,
    ).toMatchObject({ strategy: "lmstrix", modelKeys: ["m"] });
    expect(() => parseCommandLine(["test", "--all", "--strategy", "guess"])).toThrow(
      '--strategy must be one of fit, lmstrix; got "guess"',
    );
  });

  it("runs the chosen search end to end: a model tested with fit is right, in fewer loads", async () => {
    const small = withModels(defaultFleet, ["llama-3.2-3b-instruct", "phi-3.5-mini-instruct"]);
    const emulator = await startEmulator({ port: 0, fleet: small, timeScale: 0.001, seed: 5 });
    const data = tempDataDir();
    try {
      const env = testEnv(emulator.url, data.dir);
      const loads: Record<string, number> = {};
      for (const strategy of ["lmstrix", "fit"] as const) {
        const before = emulator.state.counters.loadsStarted;
        const args = ["test", "phi-3.5-mini-instruct", "--reset", "--cooldown", "0", "--json"];
        const result = await runInProcess([...args, "--strategy", strategy], env);
        expect(result.code, result.stderr).toBe(0);
        const report = JSON.parse(result.stdout) as { run: { id: number }; results: { limit: number }[] };
        const truth = hiddenTruth(
          small.models.find((m) => m.modelKey === "phi-3.5-mini-instruct")!,
          small.memoryBytes,
        );
        expect(report.results[0]!.limit).toBeLessThanOrEqual(truth!);
        expect(truth! - report.results[0]!.limit).toBeLessThanOrEqual(Math.max(256, Math.ceil(truth! / 99)));
        const { store, close } = await openStore(data.dir);
        try {
          expect((await store.getRun(report.run.id))?.options.strategy).toBe(strategy);
        } finally {
          await close();
        }
        loads[strategy] = emulator.state.counters.loadsStarted - before;
      }
      expect(loads.fit).toBeLessThan(loads.lmstrix!);
    } finally {
      await emulator.close();
      data.dispose();
    }
  });
});
