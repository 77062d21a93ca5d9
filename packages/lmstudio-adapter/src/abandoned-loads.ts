/** Enough for any realistic number of stuck loads between two sweeps; the oldest are forgotten first. */
const MAX_REMEMBERED = 100;

/**
 * Identifiers of loads that were cancelled, timed out or lost with their connection before they
 * finished. A load that stalls at 99.9 % may still complete on the host later, after our clean-up
 * looked; remembering its identifier lets every later `listLoaded` unload it when it shows up.
 */
export class AbandonedLoads {
  private readonly identifiers = new Set<string>();

  add(identifier: string): void {
    this.identifiers.delete(identifier);
    this.identifiers.add(identifier);
    for (const oldest of this.identifiers) {
      if (this.identifiers.size <= MAX_REMEMBERED) break;
      this.identifiers.delete(oldest);
    }
  }

  has(identifier: string): boolean {
    return this.identifiers.has(identifier);
  }

  delete(identifier: string): void {
    this.identifiers.delete(identifier);
  }

  get size(): number {
    return this.identifiers.size;
  }
}
