import type { Logger } from "../logger.js";
import type { Random } from "../prng.js";
import { type ModelDomain, modelUnloaded, noModelFound } from "../protocol/errors.js";
import type { ModelSpecifier } from "../protocol/schemas.js";
import type { LoadedInstance, LoadedInstanceSnapshot } from "./types.js";

/**
 * The loaded instances: naming (`key`, `key:2`, …), lookup by specifier, and the idle timers of instances
 * loaded with a TTL. Memory is what the instances hold; nothing here knows about loading.
 */
export class InstanceRegistry {
  private readonly instances = new Map<string, LoadedInstance>();
  /** Idle timers of instances loaded with a TTL (wall-clock, not scaled). */
  private readonly ttlTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly random: Random,
    private readonly logger: Logger,
    /** Called when a TTL unloads an instance (the host counts it). */
    private readonly onIdleUnload: () => void,
  ) {}

  all(): LoadedInstance[] {
    return [...this.instances.values()];
  }

  /** Bytes held by loaded instances. */
  get loadedBytes(): number {
    let total = 0;
    for (const instance of this.instances.values()) total += instance.memoryBytes;
    return total;
  }

  snapshots(): LoadedInstanceSnapshot[] {
    return this.all().map((instance) => ({
      identifier: instance.identifier,
      instanceReference: instance.instanceReference,
      modelKey: instance.model.modelKey,
      type: instance.model.type,
      requestedContextLength: instance.requestedContextLength,
      contextLength: instance.contextLength,
      memoryBytes: instance.memoryBytes,
      spillsToSystemMemory: instance.spillsToSystemMemory,
    }));
  }

  instancesOf(domain: ModelDomain): LoadedInstance[] {
    return this.all().filter((instance) => instance.model.type === domain);
  }

  isLoaded(instance: LoadedInstance): boolean {
    return this.instances.get(instance.instanceReference) === instance;
  }

  isIdentifierTaken(identifier: string): boolean {
    return this.all().some((instance) => instance.identifier === identifier);
  }

  /** LM Studio names a second instance of a key `key:2`, then `key:3`, … */
  nextIdentifier(modelKey: string): string {
    const taken = new Set(this.all().map((instance) => instance.identifier));
    if (!taken.has(modelKey)) return modelKey;
    for (let n = 2; ; n++) {
      if (!taken.has(`${modelKey}:${n}`)) return `${modelKey}:${n}`;
    }
  }

  newInstanceReference(): string {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let reference = "";
    for (let i = 0; i < 24; i++) reference += alphabet[Math.floor(this.random() * alphabet.length)];
    return this.instances.has(reference) ? this.newInstanceReference() : reference;
  }

  add(instance: LoadedInstance): void {
    this.instances.set(instance.instanceReference, instance);
    this.armTtl(instance);
  }

  remove(instance: LoadedInstance): void {
    this.instances.delete(instance.instanceReference);
    clearTimeout(this.ttlTimers.get(instance.instanceReference));
    this.ttlTimers.delete(instance.instanceReference);
  }

  /** Marks a use: restarts the instance's idle timer. */
  touch(instance: LoadedInstance): void {
    instance.lastUsedTime = Date.now();
    this.armTtl(instance);
  }

  /** Resolves a specifier to a loaded instance of `domain`, or throws LM Studio's error. */
  resolve(specifier: ModelSpecifier, domain: ModelDomain): LoadedInstance {
    const found = this.tryResolve(specifier, domain);
    if (found !== undefined) return found;
    if (specifier.type === "instanceReference") throw modelUnloaded();
    throw noModelFound(
      specifier.query,
      this.instancesOf(domain).map((instance) => instance.identifier),
    );
  }

  tryResolve(specifier: ModelSpecifier, domain: ModelDomain): LoadedInstance | undefined {
    if (specifier.type === "instanceReference") {
      const instance = this.instances.get(specifier.instanceReference);
      return instance?.model.type === domain ? instance : undefined;
    }
    const { query } = specifier;
    if (query.domain !== undefined && query.domain !== domain) return undefined;
    return this.instancesOf(domain).find(
      (instance) =>
        (query.identifier === undefined || instance.identifier === query.identifier) &&
        (query.path === undefined ||
          instance.model.path === query.path ||
          instance.model.modelKey === query.path) &&
        (query.vision === undefined || instance.model.vision === query.vision),
    );
  }

  /** Stops TTL timers (the emulator is closing). */
  dispose(): void {
    for (const timer of this.ttlTimers.values()) clearTimeout(timer);
    this.ttlTimers.clear();
  }

  unloadAll(): void {
    for (const instance of this.all()) this.remove(instance);
  }

  /** LM Studio unloads an instance loaded with `ttlMs` after that long without use. */
  private armTtl(instance: LoadedInstance): void {
    if (instance.ttlMs === null) return;
    clearTimeout(this.ttlTimers.get(instance.instanceReference));
    const timer = setTimeout(() => {
      if (!this.isLoaded(instance)) return;
      this.remove(instance);
      this.onIdleUnload();
      this.logger.info(`unload ${instance.identifier} (idle for its ttl of ${instance.ttlMs} ms)`);
    }, instance.ttlMs);
    timer.unref();
    this.ttlTimers.set(instance.instanceReference, timer);
  }
}
