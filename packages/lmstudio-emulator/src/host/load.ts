import { loadFails, loadHangs, resolveFaults } from "../faults.js";
import type { Fleet, FleetModel } from "../fleet/schema.js";
import { type LoadPlan, planLoad } from "../load-plan.js";
import type { Logger } from "../logger.js";
import { modelInfo } from "../model-info.js";
import {
  domainMismatch,
  identifierInUse,
  insufficientResources,
  invalidLoadConfig,
  loadCancelled,
  loadFailed,
  type ModelDomain,
  modelPathNotFound,
  outOfMemory,
} from "../protocol/errors.js";
import { savedContextLength } from "../saved-load-defaults.js";
import { scaledDelayMs, sleep, waitForAbort } from "../timing.js";
import { type EmulatorCounters, startOne } from "./counters.js";
import type { InstanceRegistry } from "./instances.js";
import type { MemoryLedger } from "./memory-ledger.js";
import type { LoadedInstance, LoadOutcome, LoadRequest } from "./types.js";

/** Context length used when a load request does not set one (LM Studio's default, capped). */
export const DEFAULT_LOAD_CONTEXT_LENGTH = 4096;

/** Progress packets per load (0.1 … 1.0). */
const LOAD_PROGRESS_STEPS = 10;
/** A failing load (`loadFailsAbove`) dies after this many progress steps. */
const LOAD_FAIL_AT_STEP = 6;
/** Without a guardrail, weights that do not fit fail while the tensors load… */
const WEIGHTS_OUT_OF_MEMORY_AT_STEP = 3;
/** …and a KV cache that does not fit fails once the weights are in, when the context is created. */
const CONTEXT_OUT_OF_MEMORY_AT_STEP = 9;

/** What a load needs from the host. */
export interface LoadDeps {
  readonly fleet: Fleet;
  readonly timeScale: number;
  readonly logger: Logger;
  /** LM Studio's home folder, whose saved per-model defaults apply to loads that name no context length. */
  readonly lmstudioHome: string | null;
  readonly counters: EmulatorCounters;
  readonly instances: InstanceRegistry;
  readonly memory: MemoryLedger;
  /** Successful loads so far, per model key (the `disconnectAfterLoads` fault counts them). */
  readonly successfulLoadsByModel: Map<string, number>;
  /** Models whose `disconnectAfterLoads` fault already fired (it fires once). */
  readonly droppedAfterLoads: Set<string>;
}

/** The model a `loadModel`/`getOrLoad` key names: exact key, then path, then case-insensitive key. */
export function findModel(fleet: Fleet, key: string): FleetModel | undefined {
  const lower = key.toLowerCase();
  return (
    fleet.models.find((model) => model.modelKey === key) ??
    fleet.models.find((model) => model.path === key) ??
    fleet.models.find((model) => model.modelKey.toLowerCase() === lower)
  );
}

function resolveForLoad(fleet: Fleet, modelKey: string, domain: ModelDomain): FleetModel {
  const model = findModel(fleet, modelKey);
  if (model === undefined) {
    throw modelPathNotFound(
      modelKey,
      fleet.models.filter((m) => m.type === domain).map((m) => m.modelKey),
    );
  }
  if (model.type !== domain) throw domainMismatch(model.path, model.type, domain);
  return model;
}

/** The request's context length; without one, the model's saved default, else LM Studio's default. */
async function requestedContextLength(
  deps: LoadDeps,
  model: FleetModel,
  request: LoadRequest,
): Promise<number> {
  const key = `${model.type}.load.contextLength`;
  const value = request.loadConfig.get(key);
  if (value === undefined) {
    const saved =
      deps.lmstudioHome === null
        ? undefined
        : await savedContextLength(deps.lmstudioHome, model, deps.logger, request.signal);
    return saved ?? Math.min(model.maxContextLength, DEFAULT_LOAD_CONTEXT_LENGTH);
  }
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw invalidLoadConfig(key, value, "a positive integer");
  }
  return value;
}

/**
 * One load, as LM Studio runs it: resolve the model, apply the faults to the requested context, pass the
 * guardrail, report progress (or stall, or fail part-way), then register the instance.
 */
export async function loadModel(deps: LoadDeps, request: LoadRequest): Promise<LoadOutcome> {
  const { counters, instances, memory, logger } = deps;
  const model = resolveForLoad(deps.fleet, request.modelKey, request.domain);
  const requested = await requestedContextLength(deps, model, request);
  const identifier = request.identifier ?? instances.nextIdentifier(model.modelKey);
  if (instances.isIdentifierTaken(identifier)) throw identifierInUse(identifier);
  request.onResolved(modelInfo(model));

  counters.loadsStarted++;
  startOne(counters, "Loads");
  const faults = resolveFaults(model);
  const plan = planLoad(model, faults, requested, {
    memoryBytes: deps.fleet.memoryBytes,
    committedBytes: memory.committedBytes,
  });
  const { applied, bytes } = plan;
  const reservation = { bytes: 0 };
  logger.info(
    `load ${identifier} (${model.modelKey}) at context ${requested} → ${applied} (${describePlan(plan)})`,
  );
  try {
    if (plan.outcome === "refused") throw insufficientResources(bytes);
    reservation.bytes = bytes;
    memory.reserve(reservation);

    const stepSeconds = (model.loadSecondsPerGiB * (model.sizeBytes / 1024 ** 3)) / LOAD_PROGRESS_STEPS;
    const hangs = loadHangs(faults, applied);
    const fails = loadFails(faults, applied);
    const outOfMemoryAtStep =
      plan.outcome !== "outOfMemory"
        ? null
        : plan.stage === "weights"
          ? WEIGHTS_OUT_OF_MEMORY_AT_STEP
          : CONTEXT_OUT_OF_MEMORY_AT_STEP;
    for (let step = 1; step <= LOAD_PROGRESS_STEPS; step++) {
      await sleep(scaledDelayMs(stepSeconds, deps.timeScale), request.signal);
      if (fails && step === LOAD_FAIL_AT_STEP) throw loadFailed(applied);
      if (plan.outcome === "outOfMemory" && step === outOfMemoryAtStep) {
        throw outOfMemory({
          format: model.format,
          stage: plan.stage,
          allocationBytes: plan.stage === "weights" ? model.sizeBytes : applied * model.kvBytesPerToken,
          contextLength: applied,
        });
      }
      if (hangs && step === LOAD_PROGRESS_STEPS) {
        // Real loads sometimes stall here forever; only a cancel or a closed socket ends it.
        request.onProgress(0.999);
        await waitForAbort(request.signal);
      }
      request.onProgress(step / LOAD_PROGRESS_STEPS);
    }

    const loadConfig = new Map<string, unknown>([
      [`${model.type}.load.contextLength`, applied],
      [`${model.type}.load.llama.acceleration.offloadRatio`, "max"],
      ...(model.type === "llm" ? ([["llm.load.llama.flashAttention", false]] as const) : []),
    ]);
    for (const [key, value] of request.loadConfig) {
      if (key !== `${model.type}.load.contextLength`) loadConfig.set(key, value);
    }
    const instance: LoadedInstance = {
      identifier,
      instanceReference: instances.newInstanceReference(),
      model,
      faults,
      requestedContextLength: requested,
      contextLength: applied,
      memoryBytes: bytes,
      spillsToSystemMemory: plan.outcome === "loads" && plan.spillsToSystemMemory,
      loadConfig,
      ttlMs: request.ttlMs ?? null,
      lastUsedTime: null,
      predictionsSinceLoad: 0,
    };
    instances.add(instance);
    counters.loadsSucceeded++;
    return { instance, dropClient: disconnectFires(deps, instance) };
  } catch (error) {
    if (request.signal.aborted) {
      counters.loadsCancelled++;
      logger.info(`load ${identifier} cancelled`);
      throw loadCancelled();
    }
    counters.loadsFailed++;
    throw error;
  } finally {
    memory.release(reservation);
    counters.concurrentLoads--;
  }
}

/** `disconnectAfterLoads`: once, after the K-th successful load of the model, the client is dropped. */
function disconnectFires(deps: LoadDeps, instance: LoadedInstance): boolean {
  const { modelKey } = instance.model;
  const loads = (deps.successfulLoadsByModel.get(modelKey) ?? 0) + 1;
  deps.successfulLoadsByModel.set(modelKey, loads);
  const limit = instance.faults.disconnectAfterLoads;
  if (limit === null || loads < limit || deps.droppedAfterLoads.has(modelKey)) return false;
  deps.droppedAfterLoads.add(modelKey);
  deps.counters.disconnects++;
  return true;
}

function describePlan(plan: LoadPlan): string {
  if (plan.outcome === "loads") return plan.spillsToSystemMemory ? "spills into system memory" : "fits";
  return plan.outcome === "refused" ? "refused by the guardrail" : `out of memory (${plan.stage})`;
}
