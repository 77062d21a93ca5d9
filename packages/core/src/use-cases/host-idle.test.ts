import { describe, expect, it } from "vitest";
import type { HostLease, RunRecord, Store } from "../ports/store";
import { assertHostIdle, HostBusyError, hostHolder, liveHostLease, removeHost } from "./host-idle";

const HOST = { id: 1, name: "gpu-box" };
const STALE_MS = 30_000;

/** A store with one host: its lease (if any), the ids of its runs marked running, and what was removed. */
function storeWith(lease: HostLease | null, runningRunIds: number[] = []) {
  const removed: number[] = [];
  const store: Pick<Store, "getHostLease" | "listRuns" | "removeHost"> = {
    getHostLease: async () => lease,
    listRuns: async () => runningRunIds.map((id) => ({ id, status: "running" }) as RunRecord),
    removeHost: async (id) => {
      removed.push(id);
      return true;
    },
  };
  return { store, removed };
}

const lease = (ageMs: number, runId: number | null): HostLease => ({
  hostId: HOST.id,
  holder: "cli:box:42",
  runId,
  heartbeatAt: new Date(Date.now() - ageMs),
});

describe("whether a host is busy", () => {
  it("is busy while a live lease names a run", async () => {
    const { store } = storeWith(lease(1_000, 7));
    expect(await hostHolder(store, HOST.id, STALE_MS)).toEqual({ runId: 7, holder: "cli:box:42" });
    const refused = await assertHostIdle(store, HOST, STALE_MS).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(HostBusyError);
    expect((refused as HostBusyError).message).toBe("Host gpu-box is busy with run #7");
  });

  it("is free when the lease went stale (its process died: the next worker takes it over)", async () => {
    const { store } = storeWith(lease(STALE_MS + 1, 7));
    expect(await liveHostLease(store, HOST.id, STALE_MS)).toBeNull();
    expect(await hostHolder(store, HOST.id, STALE_MS)).toBeNull();
    await expect(assertHostIdle(store, HOST, STALE_MS)).resolves.toBeUndefined();
  });

  it("is free when a live lease holds no run (a worker between runs) or there is no lease", async () => {
    expect(await hostHolder(storeWith(lease(10, null)).store, HOST.id, STALE_MS)).toBeNull();
    expect(await hostHolder(storeWith(null).store, HOST.id, STALE_MS)).toBeNull();
  });
});

describe("removing a host", () => {
  it("removes a free host", async () => {
    const { store, removed } = storeWith(null);
    expect(await removeHost(store, HOST, STALE_MS)).toBe(true);
    expect(removed).toEqual([HOST.id]);
  });

  it("refuses while a run holds it, and while a run of it is still marked running", async () => {
    for (const { store, removed } of [storeWith(lease(10, 3)), storeWith(null, [4])]) {
      await expect(removeHost(store, HOST, STALE_MS)).rejects.toBeInstanceOf(HostBusyError);
      expect(removed).toEqual([]);
    }
  });
});
