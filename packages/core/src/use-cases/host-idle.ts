import type { Host } from "../domain/host";
import { LmstrixError } from "../errors/lmstrix-error";
import type { HostLease, Store } from "../ports/store";

/** Why a host cannot be used or removed now: the run holding it, and which process drives that run. */
export interface HostHolder {
  runId: number;
  /** The lease holder (`web:host:pid`, `cli:host:pid`), or null for a run marked running without a live lease. */
  holder: string | null;
}

/**
 * The one "is this host busy" rule of the dashboard and the CLI: a lease whose heartbeat is younger than
 * `leaseStaleMs` and that names a run. A stale lease is no one's (its process died: the next worker takes it
 * over), so it does not make the host busy.
 */
export async function liveHostLease(
  store: Pick<Store, "getHostLease">,
  hostId: number,
  leaseStaleMs: number,
): Promise<HostLease | null> {
  const lease = await store.getHostLease(hostId);
  if (!lease || Date.now() - lease.heartbeatAt.getTime() >= leaseStaleMs) return null;
  return lease;
}

/** The run holding the host now, or null when it is free for another load. */
export async function hostHolder(
  store: Pick<Store, "getHostLease">,
  hostId: number,
  leaseStaleMs: number,
): Promise<HostHolder | null> {
  const lease = await liveHostLease(store, hostId, leaseStaleMs);
  return lease?.runId ? { runId: lease.runId, holder: lease.holder } : null;
}

/** A host a run holds, refused for what would disturb that run (`HOST_BUSY`: a conflict, exit 1). */
export class HostBusyError extends LmstrixError<"HOST_BUSY"> {
  override readonly name = "HostBusyError";

  constructor(
    readonly host: Pick<Host, "id" | "name">,
    readonly by: HostHolder,
  ) {
    super("HOST_BUSY", `Host ${host.name} is busy with run #${by.runId}`);
  }
}

/** Refuses (HostBusyError) while a run holds the host. */
export async function assertHostIdle(
  store: Pick<Store, "getHostLease">,
  host: Pick<Host, "id" | "name">,
  leaseStaleMs: number,
): Promise<void> {
  const by = await hostHolder(store, host.id, leaseStaleMs);
  if (by) throw new HostBusyError(host, by);
}

/**
 * Removes a host with its models and history. Refused while a run holds it, and while a run of it is still
 * marked running: its worker may be finishing (unloading, writing its last result) after the run was
 * cancelled, and would find its rows gone.
 */
export async function removeHost(
  store: Pick<Store, "getHostLease" | "listRuns" | "removeHost">,
  host: Pick<Host, "id" | "name">,
  leaseStaleMs: number,
  /** Runs once the host is known to be idle, before anything is deleted: the apps' snapshot to go back to. */
  beforeRemove: () => Promise<unknown> = async () => {},
): Promise<boolean> {
  await assertHostIdle(store, host, leaseStaleMs);
  const [running] = await store.listRuns({ hostId: host.id, statuses: ["running"] });
  if (running) throw new HostBusyError(host, { runId: running.id, holder: null });
  await beforeRemove();
  return store.removeHost(host.id);
}
