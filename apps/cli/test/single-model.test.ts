import { type FleetInput, hiddenLoadableLimit, parseFleet } from "@lmstrix/lmstudio-emulator";
import { describe, expect, it } from "vitest";
import { runInProcess } from "./support/cli";
import { useEmulatorHost } from "./support/emulator-host";
import { GiB, KiB, llm } from "./support/fleet";
import { openStore } from "./support/store";

const FLEET: FleetInput = {
  memoryBytes: 8 * GiB,
  models: [
    // Above the 31,744 threshold: found by stepping up ×1.1, then bisecting.
    llm("big-window"),
    // Below the threshold: bisected between 2,048 and 31,744.
    llm("small-window", { kvBytesPerToken: 320 * KiB }),
    llm("exact", { kvBytesPerToken: 200 * KiB }),
  ],
};
const fleet = parseFleet(FLEET);
const truth = (key: string) =>
  hiddenLoadableLimit(fleet.models.find((model) => model.modelKey === key)!, fleet.memoryBytes);

describe("lmstrix test MODEL_KEY (single-model search)", () => {
  const lmStudio = useEmulatorHost({ fleet: FLEET, timeScale: 0.001, seed: 7 });

  it("infer on an untested model that its declared context cannot hold says how to go on", async () => {
    const result = await runInProcess(["infer", "hello", "--model", "small-window"], lmStudio.env());
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/INSUFFICIENT_RESOURCES: .*requires approximately [\d.]+ GB of memory/);
    expect(result.stderr).toContain(
      "small-window is untested, so it was loaded at its declared context: give a smaller one with --ctx N, or measure its limit first with: lmstrix test small-window",
    );
  });

  it("finds each hidden limit within the default precision and never above it", async () => {
    const result = await runInProcess(
      ["test", "big-window", "small-window", "--cooldown", "0", "--json"],
      lmStudio.env(),
    );
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as {
      run: { id: number; status: string };
      results: { modelKey: string; status: string; limit: number }[];
    };
    expect(report.run.status).toBe("completed");
    expect(report.results.map((r) => r.modelKey)).toEqual(["big-window", "small-window"]);
    // Progress went to stderr, the JSON alone to stdout.
    expect(result.stderr).toContain("▶ big-window");
    // The run's header says how it searches.
    expect(result.stderr).toMatch(
      /Run #\d+ on \S+ \(ws:\S+\): 2 models, fit search, threshold 31,744, precision auto/,
    );

    const { store, close } = await openStore(lmStudio.dataDir);
    try {
      const probes = await store.listRunProbes(report.run.id);
      for (const { modelKey, limit, status } of report.results) {
        const hidden = truth(modelKey);
        expect(status).toBe("completed");
        expect(limit).toBeLessThanOrEqual(hidden);
        const model = (await store.getModel(1, modelKey))!;
        expect(model).toMatchObject({
          testStatus: "completed",
          loadableLimit: limit,
          lastGoodContext: limit,
        });
        // The search stopped when the bracket [good, bad] was within max(256, 1 % of bad).
        expect(model.lastBadContext).toBeGreaterThan(hidden);
        expect(model.lastBadContext! - limit).toBeLessThanOrEqual(
          Math.max(256, Math.ceil(model.lastBadContext! / 100)),
        );
        for (const probe of probes.filter((p) => p.modelId === model.id)) {
          expect(probe.outcome === "pass").toBe(probe.contextRequested <= hidden);
          expect(probe.finishedAt).not.toBeNull();
        }
      }
      expect(truth("big-window")).toBe(106_496);
      expect(lmStudio.emulator.state.loaded).toEqual([]);
      expect(lmStudio.emulator.state.counters.maxConcurrentLoads).toBe(1);
    } finally {
      await close();
    }
  });

  it("honours --precision", async () => {
    const result = await runInProcess(["test", "exact", "--precision", "16", "--json"], lmStudio.env());
    expect(result.code, result.stderr).toBe(0);
    const { results } = JSON.parse(result.stdout) as { results: { limit: number }[] };
    const hidden = truth("exact");
    expect(results[0]!.limit).toBeLessThanOrEqual(hidden);
    expect(hidden - results[0]!.limit).toBeLessThan(16);
  });

  it("lists the results in lmstrix's table", async () => {
    const result = await runInProcess(["list", "--sort", "ctxd"], lmStudio.env());
    expect(result.code).toBe(0);
    const rows = result.stdout
      .split("\n")
      .filter((line) => line.startsWith("│ ") && !line.includes("Model ID"));
    expect(rows.map((row) => row.split("│")[1]!.trim())).toEqual(["big-window", "exact", "small-window"]);
    // Declared, tested, effective (not measured here), last good, last bad, status.
    expect(rows[0]).toMatch(/│ +131,072 │ +10\d,\d{3} │ +- │ +10\d,\d{3} │ +10\d,\d{3} │ ✓ Tested +│$/);
  });

  it("--all with every LLM tested already has nothing to do, and says so", async () => {
    const result = await runInProcess(["test", "--all"], lmStudio.env());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      "Nothing to test: every LLM on this host is tested already (--reset tests them again).",
    );
  });
});
