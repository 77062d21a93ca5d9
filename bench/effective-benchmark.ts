/**
 * The effective-context benchmark: runs `lmstrix test --all --effective` against the LM Studio emulator through
 * the real engine, the real LM Studio adapter (the `@lmstudio/sdk` over WebSockets) and the real SQLite store,
 * twice (another emulator seed and other needles the second time), and compares every effective limit found
 * with the emulator's truth. Used by `pnpm bench:effective` (bench-effective.ts).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  DEFAULT_ENGINE_SETTINGS,
  enqueueRun,
  MAX_FILLED_PROBES,
  needleCount,
  type ProbeRecord,
  runOptionsSchema,
} from "@lmstrix/core";
import { openDatabase, PrismaStore } from "@lmstrix/db";
import { createLmStudioRuntime, DEFAULT_TIMEOUTS } from "@lmstrix/lmstudio-adapter";
import {
  countTokens,
  depthAveragedRecall,
  type Fleet,
  type FleetModel,
  largestContextWithRecall,
  type RecallCurve,
  startEmulator,
} from "@lmstrix/lmstudio-emulator";
import { TRUTH_DEPTHS } from "./effective-fleets";
import { benchWorker, simulatedSeconds } from "./search-benchmark";

export interface EffectiveBenchmarkOptions {
  fleet: Fleet;
  threshold: number;
  /** One run per seed, each with its own emulator (this seed) and its own host in one database (other needles). */
  seeds: readonly number[];
  /** Simulated seconds per real second; 0 runs as fast as the machine allows (time is computed, not waited). */
  timeScale?: number;
}

/** One model in one run. */
export interface EffectiveOutcome {
  modelKey: string;
  declared: number;
  /** Largest prompt (tokens) whose expected recall over the filled check's depths reaches the threshold. */
  truth: number;
  /**
   * The smallest standard error (in % of the truth) any search of 12 filled probes could reach on this curve:
   * see `crossingFloorPercent`.
   */
  floorPercent: number;
  /** The effective limit the run stored (where the fitted curve crosses the threshold, …); null: none. */
  found: number | null;
  status: string;
  /** (found − truth) / truth, in %; null when either is missing. */
  errorPercent: number | null;
  filledProbes: number;
  /** Simulated LM Studio time of the filled probes: loads, prompt processing, answers. */
  simulatedSeconds: number;
  /** Requested sizes and recall of the filled probes, in order. */
  probes: { context: number; promptTokens: number | null; recall: number | null }[];
}

export interface EffectiveRun {
  seed: number;
  runStatus: string;
  models: EffectiveOutcome[];
  wallMs: number;
}

/** Runs the fleet once per seed; every run tests every model's loadable limit, then its effective limit. */
export async function runEffectiveBenchmark(options: EffectiveBenchmarkOptions): Promise<EffectiveRun[]> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "lmstrix-bench-effective-"));
  const db = await openDatabase({ dataDir });
  const store = new PrismaStore(db.prisma);
  const runs: EffectiveRun[] = [];
  try {
    for (const seed of options.seeds) {
      runs.push(await runOnce(store, options, seed));
    }
    return runs;
  } finally {
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function runOnce(store: PrismaStore, options: EffectiveBenchmarkOptions, seed: number) {
  const { fleet, threshold } = options;
  const emulator = await startEmulator({ port: 0, fleet, timeScale: options.timeScale ?? 0, seed });
  const runtime = createLmStudioRuntime({
    url: emulator.url,
    timeouts: { loadMs: 60_000, predictMs: 120_000, connectMs: 5_000 },
  });
  try {
    // A host of its own per run: other model ids and another run id, so the needles differ from the last run's.
    const host = await store.ensureHost(`bench-seed-${seed}`, emulator.url);
    const worker = benchWorker(store, runtime, DEFAULT_ENGINE_SETTINGS.loadStallMs);
    const run = await enqueueRun(store, {
      hostId: host.id,
      mode: "all",
      options: runOptionsSchema.parse({
        strategy: "fit",
        cooldownMs: 0,
        effective: true,
        recallThreshold: threshold,
      }),
      startedBy: "bench",
    });
    const startedAt = performance.now();
    await worker.drain(host);
    const wallMs = performance.now() - startedAt;
    const finished = await store.getRun(run.id);
    const probes = await store.listRunProbes(run.id);
    const models = await store.listModels({ hostId: host.id, type: "llm" });
    const hangSeconds = DEFAULT_TIMEOUTS.loadMs / 1000;
    const stallSeconds = DEFAULT_ENGINE_SETTINGS.loadStallMs / 1000;
    const outcomes = fleet.models
      .filter((model) => model.type === "llm" && model.recall !== undefined)
      .map((fleetModel): EffectiveOutcome => {
        const model = models.find((candidate) => candidate.modelKey === fleetModel.modelKey);
        const filled = probes.filter((probe) => probe.modelId === model?.id && probe.kind === "effective");
        const truth = largestContextWithRecall(fleetModel.recall!, threshold, TRUTH_DEPTHS);
        const found = model?.effectiveLimit ?? null;
        return {
          modelKey: fleetModel.modelKey,
          declared: fleetModel.maxContextLength,
          truth,
          floorPercent: crossingFloorPercent(fleetModel.recall!, threshold, truth),
          found,
          status: model?.testStatus ?? "missing",
          errorPercent: found !== null && truth > 0 ? (100 * (found - truth)) / truth : null,
          filledProbes: filled.length,
          simulatedSeconds: filled.reduce(
            (sum, probe) => sum + filledProbeSeconds(probe, fleetModel, hangSeconds, stallSeconds),
            0,
          ),
          probes: filled.map((probe) => ({
            context: probe.contextRequested,
            promptTokens: probe.promptTokens,
            recall: probe.recall,
          })),
        };
      });
    return { seed, runStatus: finished?.status ?? "missing", models: outcomes, wallMs };
  } finally {
    await runtime.close();
    await emulator.close();
  }
}

/**
 * Simulated LM Studio time of one filled probe: as the search benchmark charges a probe (the load, failed
 * loads), but one prompt per probe — the filled prompt — and its answer of one code per line at the model's
 * generation speed, where the search benchmark's checks answer ≤ 10 tokens each.
 */
function filledProbeSeconds(
  probe: ProbeRecord,
  model: FleetModel,
  hangSeconds: number,
  stallSeconds: number,
): number {
  const withoutAnswer = simulatedSeconds(
    { ...probe, reply: null, genTokensPerSec: null },
    model,
    hangSeconds,
    stallSeconds,
  );
  const answerTokens = probe.reply === null ? 0 : countTokens(probe.reply);
  return withoutAnswer + (probe.genTokensPerSec ? answerTokens / probe.genTokensPerSec : 0);
}

/**
 * The floor under any search's standard error, in % of the truth: every needle of every allowed probe asked at
 * the truth itself, where recall is the threshold, gives recall there to ±√(t(1 − t) / needles), and the curve's
 * slope turns that into tokens. Where the model's short-prompt recall lies only a little above the threshold the
 * curve is flat at its crossing and the floor is wide: no placement of probes can do better.
 */
export function crossingFloorPercent(curve: RecallCurve, threshold: number, truth: number): number {
  if (truth <= 0) return 0;
  const needles = MAX_FILLED_PROBES * needleCount(truth);
  const step = Math.max(1, Math.round(truth / 1_000));
  const recall = (tokens: number) => depthAveragedRecall(curve, tokens, TRUTH_DEPTHS);
  const slope = (recall(truth - step) - recall(truth + step)) / (2 * step);
  return (100 * Math.sqrt((threshold * (1 - threshold)) / needles)) / slope / truth;
}
