import "server-only";
import type { Host, ModelRuntime } from "@lmstrix/core";
import { createLmStudioRuntime, type LmStudioTimeouts } from "@lmstrix/lmstudio-adapter";

/** One LM Studio connection per host, replaced when the host's URL changes. */
export class RuntimeRegistry {
  private readonly runtimes = new Map<number, { url: string; runtime: ModelRuntime }>();

  /** `timeouts`: per-call limits of every connection (the adapter's defaults for those not given). */
  constructor(private readonly timeouts: Partial<LmStudioTimeouts> = {}) {}

  for(host: Pick<Host, "id" | "url">): ModelRuntime {
    const existing = this.runtimes.get(host.id);
    if (existing && existing.url === host.url) return existing.runtime;
    if (existing) void existing.runtime.close();
    const runtime = createLmStudioRuntime({ url: host.url, timeouts: this.timeouts });
    this.runtimes.set(host.id, { url: host.url, runtime });
    return runtime;
  }

  async forget(hostId: number): Promise<void> {
    const existing = this.runtimes.get(hostId);
    this.runtimes.delete(hostId);
    await existing?.runtime.close();
  }

  async closeAll(): Promise<void> {
    const all = [...this.runtimes.values()];
    this.runtimes.clear();
    await Promise.all(all.map(({ runtime }) => runtime.close()));
  }
}
