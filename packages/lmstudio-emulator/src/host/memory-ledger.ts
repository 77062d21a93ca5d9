import type { InstanceRegistry } from "./instances.js";

/** A load's claim on memory while it is in progress. */
export interface Reservation {
  bytes: number;
}

/**
 * Memory promised to loads still in progress, on top of what loaded instances hold, so that concurrent loads
 * cannot overcommit the machine between the guardrail check and the end of the load.
 */
export class MemoryLedger {
  private readonly reservations = new Set<Reservation>();

  constructor(private readonly instances: InstanceRegistry) {}

  /** Bytes held by loaded instances plus bytes reserved by loads in progress. */
  get committedBytes(): number {
    let total = this.instances.loadedBytes;
    for (const reservation of this.reservations) total += reservation.bytes;
    return total;
  }

  reserve(reservation: Reservation): void {
    this.reservations.add(reservation);
  }

  release(reservation: Reservation): void {
    this.reservations.delete(reservation);
  }
}
