/**
 * The search benchmark: runs `lmstrix test --all` with a search strategy against the LM Studio emulator,
 * through the real engine (core's queue and executor), the real LM Studio adapter (the `@lmstudio/sdk` over
 * WebSockets) and the real SQLite store, then compares every found limit with the emulator's hidden truth.
 * Used by `pnpm bench:search` (bench-search.ts) and, on a few models, by apps/cli/test/search-benchmark.test.ts.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  DEFAULT_ENGINE_SETTINGS,
  enqueueRun,
  HostWorker,
  type ModelRuntime,
  type ProbeRecord,
  runOptionsSchema,
  type SearchStrategyName,
  type Store,
} from "@lmstrix/core";
import { openDatabase, PrismaStore } from "@lmstrix/db";
import { createLmStudioRuntime, DEFAULT_TIMEOUTS } from "@lmstrix/lmstudio-adapter";
import {
  type Fleet,
  type FleetModel,
  hiddenInMemoryLimit,
  parseFleet,
  resolveFaults,
  startEmulator,
} from "@lmstrix/lmstudio-emulator";

const GiB = 1024 ** 3;
const VERIFY_CONTEXT = 2_048;

export interface BenchmarkOptions {
  fleet: Fleet;
  strategy: SearchStrategyName;
  /** Simulated seconds per real second; 0.001 makes a 10 s load take 10 ms. */
  timeScale?: number;
  /**
   * Real milliseconds after which the engine gives up on a hung load (the runtime's load timeout, a backstop
   * behind the stall rule). Whatever it is, a timed-out attempt is charged LMStrix's default of 10 minutes.
   */
  loadTimeoutMs?: number;
  /**
   * Real milliseconds without load progress after which the engine gives a load up as stalled (the stall rule,
   * LMSTRIX_LOAD_STALL_MS), charged LMStrix's default of 60 s. At the default time scale 60 s would be 60 real
   * milliseconds, which a busy machine's scheduling pauses exceed now and then (a healthy load given up as
   * stalled): the benchmark waits a real second instead, and charges what a user's LMStrix would wait.
   */
  loadStallMs?: number;
  /** Also test every model again afterwards (`--reset`) on the same database: what earlier results are worth. */
  again?: boolean;
}

/** One model's outcome. */
export interface ModelOutcome {
  modelKey: string;
  declared: number;
  /** The largest context that loads and answers (capped at the declared size); null: the model fails. */
  truth: number | null;
  found: number | null;
  status: string;
  /** Load attempts (a timed-out load retried twice is three). */
  loads: number;
  simulatedSeconds: number;
  /** The part of it spent waiting for hung or stalled loads until the engine gave up (timeout or stall time). */
  hungSeconds: number;
  /** truth − found, when both exist. */
  errorTokens: number | null;
  isCorrect: boolean;
  probes: Pick<
    ProbeRecord,
    | "contextRequested"
    | "contextApplied"
    | "outcome"
    | "errorCategory"
    | "errorMessage"
    | "requiredBytes"
    | "attempts"
    | "genTokensPerSec"
  >[];
}

export interface BenchmarkResult {
  strategy: SearchStrategyName;
  /** "lmstrix", "fit", or "fit, tested again". */
  label: string;
  memoryBytes: number;
  runStatus: string;
  models: ModelOutcome[];
  /** Load attempts the emulator saw (the probes' attempts, plus loads interrupted by a dropped connection). */
  emulatorLoads: number;
  wallMs: number;
}

/** The tolerance the tests use: within max(256, 1 %) of the truth, never above it. */
export function isWithinPrecision(truth: number | null, found: number | null, declared: number): boolean {
  if (truth === null) return found === null;
  if (found === null || found > truth) return false;
  if (truth >= declared) return found === declared;
  return truth - found <= Math.max(256, Math.ceil(truth / 99));
}

/**
 * The emulator's hidden truth for one model: the largest context that loads in memory (memory, failing and
 * hanging loads, silent reduction, rounding, an ignored request; a load that spills into system RAM is no
 * comfortable limit) and still answers the check prompt (a crash at ≥ N means N − 1), capped at the declared
 * size; null when the model cannot pass at the verify size (or its cache breaks after every load).
 */
export function hiddenTruth(model: FleetModel, memoryBytes: number): number | null {
  const faults = resolveFaults(model);
  if (faults.memoryCacheNull) return null;
  let limit = hiddenInMemoryLimit(model, memoryBytes);
  if (faults.crashAbove !== null) limit = Math.min(limit, faults.crashAbove - 1);
  // Rounded up, no request loads a size between two multiples: below a crash, the multiple under it is the most.
  if (faults.roundContext !== null) limit = Math.floor(limit / faults.roundContext) * faults.roundContext;
  limit = Math.min(limit, model.maxContextLength);
  return limit >= Math.min(VERIFY_CONTEXT, model.maxContextLength) ? limit : null;
}

/** The same fleet on a machine with another amount of memory. */
export function withMemory(fleet: Fleet, memoryBytes: number): Fleet {
  return parseFleet({ ...fleet, memoryBytes });
}

/** A fleet of only the given models (and the machine's memory). */
export function withModels(fleet: Fleet, modelKeys: readonly string[]): Fleet {
  const models = modelKeys.map((key) => {
    const found = fleet.models.find((model) => model.modelKey === key);
    if (!found) throw new Error(`no model ${key} in the fleet`);
    return found;
  });
  return parseFleet({ ...fleet, models });
}

/** Where the emulator's failing loads stop, as a share of a whole load (its progress steps). */
const LOAD_FAILS_AT = 0.6;
const WEIGHTS_OUT_OF_MEMORY_AT = 0.3;
const KV_CACHE_OUT_OF_MEMORY_AT = 0.9;

/** How much of a load a failed one took before it ended (a stalled load: all of it, then the stall time). */
function failedLoadShare(probe: ModelOutcome["probes"][number]): number {
  switch (probe.errorCategory) {
    case "LOAD_FAILED":
      return LOAD_FAILS_AT;
    case "STALLED":
      return 1;
    case "INSUFFICIENT_RESOURCES":
      // The guardrail refuses before loading (stating a requirement); without it the load runs out part-way.
      if (probe.requiredBytes !== null) return 0;
      return probe.errorMessage?.includes("error loading model")
        ? WEIGHTS_OUT_OF_MEMORY_AT
        : KV_CACHE_OUT_OF_MEMORY_AT;
    default:
      return 0;
  }
}

/**
 * Simulated LM Studio time of one probe, from the emulator's timing model: a refused load costs nothing (the
 * guardrail refuses before loading), a failing load 60 % of a load, one out of memory without a guardrail 30 %
 * (weights) or 90 % (KV cache), a stalled load all of it plus the stall time, a hung load the engine's load
 * timeout per attempt, a load `loadSecondsPerGiB × size` plus the check prompts (prompt and ≤ 10 tokens of
 * answer; 10× slower when it spilled).
 */
export function simulatedSeconds(
  probe: ModelOutcome["probes"][number] &
    Pick<ProbeRecord, "promptTokens" | "promptTokensPerSec" | "genTokensPerSec" | "reply">,
  model: FleetModel,
  hangSeconds: number,
  stallSeconds: number,
): number {
  const loadSeconds = model.loadSecondsPerGiB * (model.sizeBytes / GiB);
  const isTimeout = probe.errorCategory === "TIMEOUT";
  let seconds = hungAttempts(probe) * hangSeconds;
  if (isTimeout) return seconds;
  if (probe.contextApplied === null) {
    const stalled = probe.errorCategory === "STALLED" ? stallSeconds : 0;
    return seconds + failedLoadShare(probe) * loadSeconds + stalled;
  }
  seconds += loadSeconds;
  const checks = probe.reply === null ? 1 : probe.reply.split("\n").length;
  if (probe.promptTokens !== null && probe.promptTokensPerSec) {
    seconds += checks * (probe.promptTokens / probe.promptTokensPerSec);
  }
  if (probe.genTokensPerSec) seconds += checks * (10 / probe.genTokensPerSec);
  return seconds;
}

/** Attempts of a probe that hung until the engine gave up (the earlier attempts of a retried probe did). */
function hungAttempts(probe: Pick<ProbeRecord, "errorCategory" | "attempts">): number {
  return probe.errorCategory === "TIMEOUT" ? probe.attempts : Math.max(0, probe.attempts - 1);
}

/** The engine's worker as a benchmark runs it: short pauses, the given stall rule, one runtime. */
export function benchWorker(store: Store, runtime: ModelRuntime, loadStallMs: number): HostWorker {
  return new HostWorker({
    store,
    runtimeFor: () => runtime,
    holder: `bench:${process.pid}`,
    settings: {
      timeoutPauseMs: 10,
      loadStallMs,
      reconnectPauseMs: 20,
      maxReconnectPauseMs: 200,
      reconnectTimeoutMs: 10_000,
    },
    heartbeatMs: 1_000,
    leaseStaleMs: 60_000,
  });
}

/** Runs `test --all` with one strategy on a fresh database and emulator; with `again`, a second run too. */
export async function runSearchBenchmark(options: BenchmarkOptions): Promise<BenchmarkResult[]> {
  const timeScale = options.timeScale ?? 0.001;
  const loadTimeoutMs = options.loadTimeoutMs ?? 5_000;
  const loadStallMs = options.loadStallMs ?? 1_000;
  const emulator = await startEmulator({ port: 0, fleet: options.fleet, timeScale, seed: 1 });
  const dataDir = mkdtempSync(path.join(tmpdir(), "lmstrix-bench-"));
  const db = await openDatabase({ dataDir });
  const store = new PrismaStore(db.prisma);
  const runtime = createLmStudioRuntime({
    url: emulator.url,
    timeouts: { loadMs: loadTimeoutMs, predictMs: 30_000, connectMs: 5_000 },
  });
  try {
    const host = await store.ensureHost("bench", emulator.url);
    const worker = benchWorker(store, runtime, loadStallMs);
    const results: BenchmarkResult[] = [];
    for (const pass of options.again ? [1, 2] : [1]) {
      const options_ = runOptionsSchema.parse({ strategy: options.strategy, cooldownMs: 0, reset: pass > 1 });
      const run = await enqueueRun(store, {
        hostId: host.id,
        mode: "all",
        options: options_,
        startedBy: "bench",
      });
      const loadsBefore = emulator.state.counters.loadsStarted;
      const startedAt = performance.now();
      await worker.drain(host);
      const wallMs = performance.now() - startedAt;
      const finished = await store.getRun(run.id);
      const probes = await store.listRunProbes(run.id);
      const models = await store.listModels({ hostId: host.id, type: "llm" });
      const hangSeconds = DEFAULT_TIMEOUTS.loadMs / 1000;
      const stallSeconds = DEFAULT_ENGINE_SETTINGS.loadStallMs / 1000;
      // In the order the run tested them (its first probe of each).
      const firstProbe = (modelId: number) => probes.find((probe) => probe.modelId === modelId)?.id ?? 0;
      const outcomes = models
        .filter((model) => probes.some((probe) => probe.modelId === model.id))
        .sort((a, b) => firstProbe(a.id) - firstProbe(b.id))
        .map((model): ModelOutcome => {
          const fleetModel = options.fleet.models.find((candidate) => candidate.modelKey === model.modelKey)!;
          const own = probes.filter((probe) => probe.modelId === model.id && probe.kind === "loadable");
          const truth = hiddenTruth(fleetModel, options.fleet.memoryBytes);
          const found = model.testStatus === "completed" ? model.loadableLimit : null;
          return {
            modelKey: model.modelKey,
            declared: model.declaredContext,
            truth,
            found,
            status: model.testStatus,
            loads: own.reduce((sum, probe) => sum + Math.max(1, probe.attempts), 0),
            simulatedSeconds: own.reduce(
              (sum, probe) => sum + simulatedSeconds(probe, fleetModel, hangSeconds, stallSeconds),
              0,
            ),
            hungSeconds: own.reduce(
              (sum, probe) =>
                sum +
                hungAttempts(probe) * hangSeconds +
                (probe.errorCategory === "STALLED" ? stallSeconds : 0),
              0,
            ),
            errorTokens: truth !== null && found !== null ? truth - found : null,
            isCorrect: isWithinPrecision(truth, found, model.declaredContext),
            probes: own.map((probe) => ({
              contextRequested: probe.contextRequested,
              contextApplied: probe.contextApplied,
              outcome: probe.outcome,
              errorCategory: probe.errorCategory,
              errorMessage: probe.errorMessage,
              requiredBytes: probe.requiredBytes,
              attempts: probe.attempts,
              genTokensPerSec: probe.genTokensPerSec,
            })),
          };
        });
      results.push({
        strategy: options.strategy,
        label: pass > 1 ? `${options.strategy}, tested again` : options.strategy,
        memoryBytes: options.fleet.memoryBytes,
        runStatus: finished?.status ?? "missing",
        models: outcomes,
        emulatorLoads: emulator.state.counters.loadsStarted - loadsBefore,
        wallMs,
      });
    }
    return results;
  } finally {
    await runtime.close();
    await db.close();
    await emulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export interface Summary {
  models: number;
  totalLoads: number;
  medianLoads: number;
  p90Loads: number;
  maxLoads: number;
  simulatedSeconds: number;
  hungSeconds: number;
  correct: number;
  aboveTruth: number;
  /** Largest truth − found over the models with both, in tokens and in % of the truth. */
  maxErrorTokens: number;
  maxErrorPercent: number;
  meanErrorPercent: number;
}

/** Nearest-rank percentile of a non-empty list. */
export function percentile(values: readonly number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(share * sorted.length) - 1)] ?? 0;
}

export function summarize(result: BenchmarkResult): Summary {
  const loads = result.models.map((model) => model.loads);
  const errors = result.models.filter((model) => model.errorTokens !== null && model.truth);
  const percents = errors.map((model) => (100 * model.errorTokens!) / model.truth!);
  return {
    models: result.models.length,
    totalLoads: loads.reduce((sum, value) => sum + value, 0),
    medianLoads: percentile(loads, 0.5),
    p90Loads: percentile(loads, 0.9),
    maxLoads: Math.max(0, ...loads),
    simulatedSeconds: result.models.reduce((sum, model) => sum + model.simulatedSeconds, 0),
    hungSeconds: result.models.reduce((sum, model) => sum + model.hungSeconds, 0),
    correct: result.models.filter((model) => model.isCorrect).length,
    aboveTruth: result.models.filter(
      (model) => model.found !== null && (model.truth === null || model.found > model.truth),
    ).length,
    maxErrorTokens: Math.max(0, ...errors.map((model) => model.errorTokens!)),
    maxErrorPercent: Math.max(0, ...percents),
    meanErrorPercent: percents.length ? percents.reduce((sum, value) => sum + value, 0) / percents.length : 0,
  };
}
