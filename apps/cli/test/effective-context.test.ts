import { answerReserve } from "@lmstrix/core";
import { type FleetInput, hiddenLoadableLimit, parseFleet } from "@lmstrix/lmstudio-emulator";
import { beforeAll, describe, expect, it } from "vitest";
import { runInProcess } from "./support/cli";
import { useEmulatorHost } from "./support/emulator-host";
import { GiB, llm } from "./support/fleet";
import { openStore } from "./support/store";

/**
 * `lmstrix test --effective` against the emulator over real sockets, into a real SQLite file. The emulator
 * answers a prompt longer than a model's `effectiveContext` with a digit-free ramble, so the filled checks
 * must find that size while the short check prompts find the loadable limit.
 */
const FLEET: FleetInput = {
  memoryBytes: 8 * GiB,
  models: [
    // Loads up to (8 − 1 − 0.5 GiB) / 64 KiB = 106,496 tokens; recalls prompts of at most 40,000 tokens.
    llm("long-window", { effectiveContext: 40_000 }),
    // LM Studio loads at most 32,768 tokens whatever is asked, and says so only when read back.
    llm("silently-reduced", { faults: [{ silentReduce: 32_768 }] }),
  ],
};
const fleet = parseFleet(FLEET);
const model = (key: string) => fleet.models.find((candidate) => candidate.modelKey === key)!;
const precision = (size: number) => Math.max(256, Math.ceil(size / 100));

interface Report {
  run: { id: number; status: string };
  results: {
    modelKey: string;
    status: string;
    limit: number;
    effective?: { limit: number | null; reason: string };
  }[];
}

describe("lmstrix test --effective (filled-context search)", () => {
  const lmStudio = useEmulatorHost({ fleet: FLEET, timeScale: 0, seed: 3 });
  let report: Report;
  let stderr: string;

  beforeAll(async () => {
    const result = await runInProcess(
      ["test", "long-window", "silently-reduced", "--effective", "--cooldown", "0", "--json"],
      lmStudio.env(),
    );
    expect(result.code, result.stderr).toBe(0);
    report = JSON.parse(result.stdout) as Report;
    stderr = result.stderr;
  }, 120_000);

  it("finds the loadable limit and, below it, the effective limit, each within the precision and never above", async () => {
    expect(report.run.status).toBe("completed");
    const loadableTruth = hiddenLoadableLimit(model("long-window"), fleet.memoryBytes);
    expect(loadableTruth).toBe(106_496);
    const result = report.results.find((candidate) => candidate.modelKey === "long-window")!;
    expect(result.status).toBe("completed");
    expect(result.limit).toBeLessThanOrEqual(loadableTruth);
    expect(loadableTruth - result.limit).toBeLessThanOrEqual(precision(loadableTruth));
    const effective = result.effective!.limit!;
    expect(effective).toBeLessThanOrEqual(40_000);
    expect(40_000 - effective).toBeLessThanOrEqual(precision(40_000));
    expect(stderr).toMatch(/long-window: ✓ loadable limit [\d,]+ of 131,072 .*; effective limit [\d,]+/);

    const { store, close } = await openStore(lmStudio.dataDir);
    try {
      const stored = (await store.getModel(1, "long-window"))!;
      expect(stored).toMatchObject({
        testStatus: "completed",
        loadableLimit: result.limit,
        effectiveLimit: effective,
      });
      // The filled checks left the loadable markers as the loadable search set them.
      expect(stored.lastGoodContext).toBe(result.limit);
      expect(stored.lastBadContext).toBeGreaterThan(loadableTruth);
      const probes = (await store.listRunProbes(report.run.id)).filter(
        (probe) => probe.modelId === stored.id,
      );
      const filled = probes.filter((probe) => probe.kind === "effective");
      expect(filled.length).toBeGreaterThan(2);
      for (const probe of filled) {
        expect(probe.contextRequested).toBeLessThanOrEqual(result.limit);
        expect(probe.recall).not.toBeNull();
        // The window less the room kept for one answer per needle, filled to within 0.5 %.
        const target = probe.contextRequested - answerReserve(probe.contextRequested);
        expect(probe.promptTokensSent).toBeGreaterThanOrEqual(target * 0.995);
        expect(probe.promptTokensSent).toBeLessThanOrEqual(target);
        expect(probe.promptTokensSent).toBeLessThan(probe.contextRequested);
        // The chat template adds a few tokens: LM Studio processed everything that was sent.
        expect(probe.promptTokens).toBeGreaterThanOrEqual(probe.promptTokensSent!);
        expect(probe.isTruncated).toBe(false);
        // The emulator's truth: a prompt within the effective context is recalled in full, a longer one not at all.
        const isWithin = probe.promptTokens! <= 40_000;
        expect(probe.outcome).toBe(isWithin ? "pass" : "fail");
        expect(probe.recall).toBe(isWithin ? 1 : 0);
        expect(probe.promptTokensPerSec).not.toBeNull();
      }
      // Loadable probes carry no filled-check figures.
      for (const probe of probes.filter((candidate) => candidate.kind === "loadable")) {
        expect(probe).toMatchObject({ recall: null, promptTokensSent: null, isTruncated: null });
      }
    } finally {
      await close();
    }
  });

  it("refuses a bad --recall with exit 2, before anything is written", async () => {
    const result = await runInProcess(
      ["test", "long-window", "--effective", "--recall", "2"],
      lmStudio.env(),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--recall must be a number between 0 and 1");
  });

  async function runCount(): Promise<number> {
    const { store, close } = await openStore(lmStudio.dataDir);
    try {
      return (await store.listRuns({})).length;
    } finally {
      await close();
    }
  }

  it("refuses --recall 0 as the dashboard and the API do: it would pass every filled check", async () => {
    const runsBefore = await runCount();
    const result = await runInProcess(
      ["test", "long-window", "--effective", "--recall", "0"],
      lmStudio.env(),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("the recall threshold must be above 0 (0 would pass every filled check)");
    expect(await runCount()).toBe(runsBefore);
  });

  it("shows a silently reduced load as a lower applied context, and fills only what was really loaded", async () => {
    const result = report.results.find((candidate) => candidate.modelKey === "silently-reduced")!;
    expect(result).toMatchObject({ status: "completed", limit: 32_768 });
    const { store, close } = await openStore(lmStudio.dataDir);
    try {
      const stored = (await store.getModel(1, "silently-reduced"))!;
      const probes = (await store.listRunProbes(report.run.id)).filter(
        (probe) => probe.modelId === stored.id,
      );
      // The emulator reports the reduced size when it is read back: the loadable search sees it and stops.
      const reduced = probes.filter(
        (probe) => probe.kind === "loadable" && probe.contextApplied! < probe.contextRequested,
      );
      expect(reduced.length).toBeGreaterThan(0);
      expect(reduced.every((probe) => probe.contextApplied === 32_768)).toBe(true);
      // So the filled checks are built for the applied size: nothing is cut, and the whole window recalls.
      const filled = probes.filter((probe) => probe.kind === "effective");
      expect(filled.length).toBeGreaterThan(0);
      expect(
        filled.every(
          (probe) => probe.isTruncated === false && probe.contextApplied === probe.contextRequested,
        ),
      ).toBe(true);
      expect(stored.effectiveLimit).toBe(32_768);
      expect(result.effective?.limit).toBe(32_768);
    } finally {
      await close();
    }
  });
});
