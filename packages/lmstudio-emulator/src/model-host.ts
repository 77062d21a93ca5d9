import type { Fleet, FleetModel } from "./fleet/schema.js";
import { type EmulatorCounters, resetCounters, zeroCounters } from "./host/counters.js";
import { InstanceRegistry } from "./host/instances.js";
import { findModel, type LoadDeps, loadModel } from "./host/load.js";
import { MemoryLedger } from "./host/memory-ledger.js";
import { type PredictDeps, predict } from "./host/predict.js";
import type {
  LoadedInstance,
  LoadedInstanceSnapshot,
  LoadOutcome,
  LoadRequest,
  PredictionOutcome,
  PredictionRequest,
} from "./host/types.js";
import type { LmStudioVersion } from "./lmstudio-version.js";
import type { Logger } from "./logger.js";
import { type InstanceInfoWire, instanceInfo, type ModelInfoWire, modelInfo } from "./model-info.js";
import { createRandom } from "./prng.js";
import { type ModelDomain, noModelFound } from "./protocol/errors.js";
import type { ModelSpecifier } from "./protocol/schemas.js";

export type { EmulatorCounters } from "./host/counters.js";
export { DEFAULT_LOAD_CONTEXT_LENGTH } from "./host/load.js";
export type {
  LoadedInstance,
  LoadedInstanceSnapshot,
  LoadOutcome,
  LoadRequest,
  PredictionOutcome,
  PredictionRequest,
  PredictionStats,
  StopReason,
} from "./host/types.js";

export interface ModelHostOptions {
  fleet: Fleet;
  timeScale: number;
  seed: number;
  logger: Logger;
  /** What the `version` endpoint reports. */
  lmStudioVersion: LmStudioVersion;
  /** LM Studio's home folder (saved per-model load defaults), or null. */
  lmstudioHome: string | null;
}

/**
 * The simulated LM Studio backend: downloaded models, loaded instances, the memory guardrail,
 * faults, timing and the counters tests observe. Knows nothing about sockets. Loading
 * (`host/load.ts`) and predicting (`host/predict.ts`) live in their own files; this class owns the state.
 */
export class ModelHost {
  readonly fleet: Fleet;
  readonly timeScale: number;
  readonly seed: number;
  readonly lmStudioVersion: LmStudioVersion;
  private readonly logger: Logger;
  private readonly instances: InstanceRegistry;
  private readonly counterValues = zeroCounters();
  /** The state loads and predictions work on. */
  private readonly deps: LoadDeps & PredictDeps;

  constructor(options: ModelHostOptions) {
    this.fleet = options.fleet;
    this.timeScale = options.timeScale;
    this.seed = options.seed;
    this.lmStudioVersion = options.lmStudioVersion;
    this.logger = options.logger;
    this.instances = new InstanceRegistry(createRandom(options.seed), options.logger, () => {
      this.counterValues.unloads++;
    });
    this.deps = {
      fleet: this.fleet,
      timeScale: this.timeScale,
      seed: this.seed,
      logger: this.logger,
      lmstudioHome: options.lmstudioHome,
      counters: this.counterValues,
      instances: this.instances,
      memory: new MemoryLedger(this.instances),
      successfulLoadsByModel: new Map(),
      droppedAfterLoads: new Set(),
    };
  }

  get counters(): Readonly<EmulatorCounters> {
    return { ...this.counterValues };
  }

  /** Zeroes the counters; `concurrent*` keep their live value and the maxima restart from it. */
  resetCounters(): void {
    resetCounters(this.counterValues);
  }

  /** Bytes held by loaded instances (in-progress loads excluded). */
  get loadedBytes(): number {
    return this.instances.loadedBytes;
  }

  get loaded(): LoadedInstanceSnapshot[] {
    return this.instances.snapshots();
  }

  listDownloaded(): ModelInfoWire[] {
    return this.fleet.models.map(modelInfo);
  }

  info(instance: LoadedInstance): InstanceInfoWire {
    return instanceInfo(instance.model, instance);
  }

  instancesOf(domain: ModelDomain): LoadedInstance[] {
    return this.instances.instancesOf(domain);
  }

  isLoaded(instance: LoadedInstance): boolean {
    return this.instances.isLoaded(instance);
  }

  /** The model a `loadModel`/`getOrLoad` key names: exact key, then path, then case-insensitive key. */
  findModel(key: string): FleetModel | undefined {
    return findModel(this.fleet, key);
  }

  /** Resolves a specifier to a loaded instance of `domain`, or throws LM Studio's error. */
  resolve(specifier: ModelSpecifier, domain: ModelDomain): LoadedInstance {
    return this.instances.resolve(specifier, domain);
  }

  tryResolve(specifier: ModelSpecifier, domain: ModelDomain): LoadedInstance | undefined {
    return this.instances.tryResolve(specifier, domain);
  }

  load(request: LoadRequest): Promise<LoadOutcome> {
    return loadModel(this.deps, request);
  }

  /** Unloads by identifier; the `notFoundOnUnload` fault unloads but still reports not-found. */
  unload(identifier: string, domain: ModelDomain): void {
    const instance = this.instancesOf(domain).find((candidate) => candidate.identifier === identifier);
    const notFound = () =>
      noModelFound(
        { identifier },
        this.instancesOf(domain).map((candidate) => candidate.identifier),
      );
    if (instance === undefined) throw notFound();
    this.instances.remove(instance);
    this.counterValues.unloads++;
    this.logger.info(`unload ${identifier}`);
    if (instance.faults.notFoundOnUnload) throw notFound();
  }

  /** Stops TTL timers (the emulator is closing). */
  dispose(): void {
    this.instances.dispose();
  }

  unloadAll(): void {
    this.instances.unloadAll();
  }

  predict(request: PredictionRequest): Promise<PredictionOutcome> {
    return predict(this.deps, request);
  }
}
