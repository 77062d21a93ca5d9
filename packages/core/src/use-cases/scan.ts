import type { Host } from "../domain/host";
import type { DownloadedModel } from "../domain/model";
import type { ModelRuntime } from "../ports/model-runtime";
import type { ModelSummaryPatch, ModelSyncResult, Store } from "../ports/store";
import { HostBusyError, hostHolder } from "./host-idle";

/** Where a scan writes: the store and the host's row. */
export interface ScanTarget {
  store: Pick<Store, "syncModels" | "setHostLmStudioVersion">;
  hostId: number;
}

export interface ScanResult<T extends ScanTarget> {
  downloaded: DownloadedModel[];
  sync: ModelSyncResult;
  /** The LM Studio version the host reported (kept on the host: stored results are compared with it). */
  lmStudioVersion: string;
  target: T;
}

/**
 * A scan: what LM Studio has downloaded now, written to the host's models (new, changed; gone ones kept and
 * marked absent). LM Studio is asked first and `target` (the store and the host's row) is called only after it
 * answered, so a scan of an unreachable host writes nothing: no database, no new host.
 */
export async function scanHost<T extends ScanTarget>(
  runtime: Pick<ModelRuntime, "listModels" | "version">,
  openTarget: () => Promise<T>,
): Promise<ScanResult<T>> {
  const downloaded = await runtime.listModels();
  const { version } = await runtime.version();
  const target = await openTarget();
  const sync = await target.store.syncModels(target.hostId, downloaded, new Date());
  await target.store.setHostLmStudioVersion(target.hostId, version);
  return { downloaded, sync, lmStudioVersion: version, target };
}

/** What clearing a model's results resets: its test summary (its probe history stays). */
export const CLEARED_RESULTS: ModelSummaryPatch = {
  testStatus: "untested",
  loadableLimit: null,
  effectiveLimit: null,
  effectiveThreshold: null,
  lastGoodContext: null,
  lastBadContext: null,
  lastTestedAt: null,
  errorCategory: null,
  errorMessage: null,
};

/**
 * Clears the test results of the host's failed models (`which: "failed"`) or of all its models, so that the
 * next run tests them afresh. Refused (HostBusyError) while a run holds the host: it would write them again.
 */
export async function clearTestResults(
  store: Pick<Store, "getHostLease" | "listModels" | "updateModelSummary">,
  host: Pick<Host, "id" | "name">,
  which: "failed" | "all",
  leaseStaleMs: number,
): Promise<number> {
  const by = await hostHolder(store, host.id, leaseStaleMs);
  if (by) throw new HostBusyError(host, by);
  const models = await store.listModels({ hostId: host.id });
  const targets = models.filter((model) => which === "all" || model.testStatus === "failed");
  for (const model of targets) await store.updateModelSummary(model.id, CLEARED_RESULTS);
  return targets.length;
}
