import "server-only";
import type { HostWorker, Store } from "@lmstrix/core";
import { createRunWorker, type Database, localHolder, recoverStoppedRuns } from "@lmstrix/db";
import type { WebEnv } from "~/env";
import type { Notifier } from "./notifier";
import type { RuntimeRegistry } from "./runtimes";
import { SCHEDULE_CHECK_MS, type Scheduler } from "./scheduler";

/**
 * The web server's side of the run queue: every few moments it marks runs whose process died as interrupted,
 * fires the schedules whose time has come (at start too: a time missed while the server was down fires once)
 * and drains each enabled host's queue, runs started from the CLI included. A host another process is driving
 * is simply skipped until its lease is free. A run it ends is handed to the notifier, which is not awaited.
 */
export class WebRunWorker {
  private readonly draining = new Map<number, Promise<unknown>>();
  private readonly worker: HostWorker;
  private readonly shutdown = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private lastRecovery = 0;
  private lastScheduleCheck = Number.NEGATIVE_INFINITY;
  private ticking: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    db: Database,
    runtimes: RuntimeRegistry,
    private readonly env: WebEnv,
    private readonly scheduler: Scheduler,
    private readonly notifier: Notifier,
  ) {
    this.worker = createRunWorker({
      store,
      db,
      runtimeFor: (host) => runtimes.for(host),
      holder: localHolder("web"),
      settings: env,
      afterRun: (run) => notifier.runEnded(run.id),
    });
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.env.LMSTRIX_QUEUE_POLL_MS);
    void this.tick();
  }

  /**
   * Stops taking runs and stops the one in flight, which is marked `interrupted` (it resumes at the next start);
   * false when it did not settle within `graceMs`.
   */
  async stop(graceMs = 3_000): Promise<boolean> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.shutdown.abort();
    // A tick in flight (the schedules' check) is waited for too: the database closes after this.
    const settled = Promise.allSettled([...this.draining.values(), this.ticking]).then(() => true);
    const isSettled = await Promise.race([
      settled,
      new Promise<boolean>((resolve) => setTimeout(resolve, graceMs, false)),
    ]);
    await this.notifier.stop();
    return isSettled;
  }

  /** Looks at the queue now instead of at the next tick (after a run was started from the dashboard). */
  poke(): void {
    void this.tick();
  }

  private tick(): Promise<void> {
    const ticking = this.tickOnce();
    this.ticking = ticking;
    return ticking;
  }

  private async tickOnce(): Promise<void> {
    // After `stop()` nothing more is written: the database is being folded and closed.
    const isStopping = () => this.shutdown.signal.aborted;
    if (isStopping()) return;
    try {
      if (Date.now() - this.lastRecovery >= this.env.LMSTRIX_LEASE_STALE_MS / 2) {
        this.lastRecovery = Date.now();
        // A lease whose holder was a process of this machine that is gone (this server before a crash, a
        // killed CLI) is not waited out: its run is recovered and resumed now, not once the lease goes stale.
        await recoverStoppedRuns(this.store, this.env.LMSTRIX_LEASE_STALE_MS);
      }
      if (!isStopping() && Date.now() - this.lastScheduleCheck >= SCHEDULE_CHECK_MS) {
        this.lastScheduleCheck = Date.now();
        // A schedule that cannot fire must not keep the queues below from being drained.
        await this.scheduler
          .check()
          .catch((error: unknown) => console.error("Schedule check failed:", error));
      }
      const hosts = await this.store.listHosts();
      if (isStopping()) return;
      for (const host of hosts) {
        if (!host.enabled || this.draining.has(host.id)) continue;
        const drained = this.worker
          .drain(host, this.shutdown.signal)
          .catch((error: unknown) => console.error(`Run queue of host ${host.name} failed:`, error))
          .finally(() => this.draining.delete(host.id));
        this.draining.set(host.id, drained);
      }
    } catch (error) {
      console.error("Run queue check failed:", error);
    }
  }
}
