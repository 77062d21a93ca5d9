import {
  checkDepthsOf,
  DEFAULT_RECALL_THRESHOLD,
  MAX_FILLED_PROBES,
  MAX_NEEDLES,
  needleCount,
  recallFitOf,
} from "@lmstrix/core";
import { type FleetInput, largestContextWithRecall, parseFleet } from "@lmstrix/lmstudio-emulator";
import { beforeAll, describe, expect, it } from "vitest";
import { runInProcess } from "./support/cli";
import { useEmulatorHost } from "./support/emulator-host";
import { GiB, llm } from "./support/fleet";
import { openStore } from "./support/store";

/**
 * `lmstrix test --effective` on a model whose recall fades with length, dips in the middle and wavers from
 * prompt to prompt (the emulator's `recall` curve), at the default threshold of 85.6 %: the CLI against the
 * emulator over real sockets, into a real SQLite file. Truth: the emulator's `largestContextWithRecall` over
 * the depths a filled check asks at.
 */
const CURVE = { at50: 52_000, width: 4_000, middleDip: 0.08, base: 0.99 };
const FLEET: FleetInput = {
  memoryBytes: 8 * GiB,
  // Loads up to 106,496 tokens (see effective-context.test.ts).
  models: [llm("fading", { recall: CURVE })],
};
const curve = parseFleet(FLEET).models[0]!.recall!;

interface Report {
  run: { id: number; status: string };
  results: {
    modelKey: string;
    status: string;
    limit: number;
    effective?: { limit: number | null; reason: string; range?: { low: number; high: number } };
  }[];
}

describe("lmstrix test --effective on a model whose recall fades and wavers", () => {
  const lmStudio = useEmulatorHost({ fleet: FLEET, timeScale: 0, seed: 3 });
  let report: Report;
  let stderr: string;

  beforeAll(async () => {
    const result = await runInProcess(
      ["test", "fading", "--effective", "--cooldown", "0", "--json"],
      lmStudio.env(),
    );
    expect(result.code, result.stderr).toBe(0);
    report = JSON.parse(result.stdout) as Report;
    stderr = result.stderr;
  }, 180_000);

  it("finds the effective limit within 10 % of the truth, with its range, in at most 12 filled probes", async () => {
    expect(report.run.status).toBe("completed");
    const truth = largestContextWithRecall(curve, DEFAULT_RECALL_THRESHOLD, checkDepthsOf(MAX_NEEDLES));
    expect(truth).toBeGreaterThan(40_000);
    expect(truth).toBeLessThan(50_000);
    const effective = report.results[0]!.effective!;
    expect(Math.abs(effective.limit! - truth)).toBeLessThanOrEqual(0.1 * truth);
    // The limit is where the recall curve fitted through every probe crosses the threshold, inside its ±1σ range.
    expect(effective.range!.low).toBeLessThanOrEqual(effective.limit!);
    expect(effective.range!.high).toBeGreaterThanOrEqual(effective.limit!);
    expect(effective.range!.high).toBeGreaterThan(effective.range!.low);
    expect(effective.range!.high).toBeLessThanOrEqual(report.results[0]!.limit);
    const range = `${effective.range!.low.toLocaleString("en-US")}–${effective.range!.high.toLocaleString("en-US")}`;
    // Printed with the range, the threshold, the short-context score and the probes spent.
    expect(stderr).toContain(`effective limit ${range} tokens`);
    // The fit's whole reason, on a line of its own: what was measured and the budget it took.
    expect(stderr).toContain(`\n    ${effective.reason}\n`);
    expect(effective.reason).toContain(`the limit lies in ${range} tokens`);
    expect(effective.reason).toMatch(/threshold 85\.6%/);
    // Read off the recall curve fitted through every filled probe, with what the bracket's two sizes measured.
    expect(effective.reason).toMatch(
      /the recall curve fitted through every filled probe \([\d.]+% at [\d,]+ and [\d.]+% at [\d,]+ prompt tokens\) crosses the threshold 85\.6% at [\d,]+ prompt tokens/,
    );
    expect(effective.reason).toContain(`at ${effective.limit!.toLocaleString("en-US")} prompt tokens`);
    expect(effective.reason).toMatch(/measured [\d.]+% at [\d,]+ and [\d.]+% at [\d,]+/);
    expect(effective.reason).toMatch(
      /short-context recall [\d.]+% at 4,096 tokens, [\d.]+% of it kept at the limit/,
    );
    expect(effective.reason).toMatch(/; \d+ filled probes/);

    const { store, close } = await openStore(lmStudio.dataDir);
    try {
      const stored = (await store.getModel(1, "fading"))!;
      expect(stored.effectiveLimit).toBe(effective.limit);
      const filled = (await store.listRunProbes(report.run.id)).filter(
        (probe) => probe.modelId === stored.id && probe.kind === "effective",
      );
      expect(filled.length).toBeLessThanOrEqual(MAX_FILLED_PROBES);
      expect(effective.reason).toContain(`; ${filled.length} filled probes`);
      // The grid first: 4,096, 8,192, … doubling.
      expect(filled.slice(0, 3).map((probe) => probe.contextRequested)).toEqual([4_096, 8_192, 16_384]);
      for (const probe of filled) {
        // As many needles as the window asks for (one expected code each), recall measured per probe.
        expect(probe.expectedAnswer?.split("\n")).toHaveLength(needleCount(probe.contextApplied!));
        expect(probe.recall).not.toBeNull();
        expect(probe.isTruncated).toBe(false);
      }
      // Fitted again from the stored probes (as the Model page draws it), the curve crosses where the run said.
      expect(recallFitOf(filled, DEFAULT_RECALL_THRESHOLD)?.limit).toBe(stored.effectiveLimit);
      // A repeat at a size asks other needles: every filled prompt's codes differ.
      const codes = filled.map((probe) => probe.expectedAnswer);
      expect(new Set(codes).size).toBe(codes.length);
    } finally {
      await close();
    }
  });

  it("lists the effective limit in `list --show json`, beside lmstrix's fields", async () => {
    const listed = await runInProcess(["list", "--show", "json"], lmStudio.env());
    expect(listed.code, listed.stderr).toBe(0);
    const models = JSON.parse(listed.stdout) as { id: string; effective_limit: number | null }[];
    expect(models.find((model) => model.id === "fading")?.effective_limit).toBe(
      report.results[0]!.effective!.limit,
    );
  });
});

describe("lmstrix test --reset without --effective", () => {
  const lmStudio = useEmulatorHost({ fleet: FLEET, timeScale: 0, seed: 4 });

  it("measures the loadable limit afresh and leaves the effective limit as the last effective run found it", async () => {
    const first = await runInProcess(
      ["test", "fading", "--effective", "--cooldown", "0", "--json"],
      lmStudio.env(),
    );
    expect(first.code, first.stderr).toBe(0);
    const effective = (JSON.parse(first.stdout) as Report).results[0]!.effective!.limit;
    expect(effective).toBeGreaterThan(0);

    const again = await runInProcess(
      ["test", "fading", "--reset", "--cooldown", "0", "--json"],
      lmStudio.env(),
    );
    expect(again.code, again.stderr).toBe(0);
    const { store, close } = await openStore(lmStudio.dataDir);
    try {
      const model = (await store.getModel(1, "fading"))!;
      expect(model).toMatchObject({ testStatus: "completed", effectiveLimit: effective });
      // The reset run's own probes found the loadable limit: none of them fills the window.
      const runId = (JSON.parse(again.stdout) as Report).run.id;
      const probes = await store.listRunProbes(runId);
      expect(probes.length).toBeGreaterThan(0);
      expect(probes.every((probe) => probe.kind === "loadable")).toBe(true);
      expect(model.loadableLimit).toBe((JSON.parse(again.stdout) as Report).results[0]!.limit);
    } finally {
      await close();
    }
  }, 180_000);

  it("a run at a stricter recall threshold finds a shorter limit, and that is no regression", async () => {
    const strict = await runInProcess(
      ["test", "fading", "--effective", "--recall", "0.9", "--cooldown", "0", "--json"],
      lmStudio.env(),
    );
    expect(strict.code, strict.stderr).toBe(0);
    const report = JSON.parse(strict.stdout) as Report;
    expect(report.results[0]!.effective!.limit).not.toBeNull();
    const changes = await runInProcess(["changes"], lmStudio.env());
    expect(changes.code, changes.stderr).toBe(0);
    expect(changes.stdout).not.toMatch(/effective/i);
  }, 180_000);
});
