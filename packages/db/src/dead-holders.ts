import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { type RunRecord, recoverInterruptedRuns, type Store } from "@lmstrix/core";

/** Lease holders are named `cli:HOSTNAME:PID` or `web:HOSTNAME:PID` (`localHolder`). */
const HOLDER_PATTERN = /^(?:cli|web):(.+):(\d+)$/;

/** This process's name as a lease holder: the form `isDeadLocalHolder` can check. */
export function localHolder(kind: "cli" | "web"): string {
  return `${kind}:${hostname()}:${process.pid}`;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  // A killed process that its parent has not reaped yet (a zombie) still answers signal 0; on Linux its
  // state in /proc says so. Elsewhere (no /proc) signal 0 is all we have.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2).charAt(0);
    return state !== "Z" && state !== "X";
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ENOENT";
  }
}

/** Whether `holder` names a process on this machine that no longer exists. */
export function isDeadLocalHolder(
  holder: string,
  machine: string = hostname(),
  isAlive: (pid: number) => boolean = isProcessAlive,
): boolean {
  const match = HOLDER_PATTERN.exec(holder);
  if (!match || match[1] !== machine) return false;
  const pid = Number(match[2]);
  return pid !== process.pid && !isAlive(pid);
}

/**
 * Frees leases whose holder was a process on this machine that has died (killed, crashed), so that its run is
 * recovered now instead of after the stale timeout: a user who restarts a killed `lmstrix test` at once does
 * not wait 30 s. Holders on other machines still go stale the normal way.
 */
export async function releaseDeadLocalLeases(store: Store): Promise<void> {
  for (const host of await store.listHosts()) {
    const lease = await store.getHostLease(host.id);
    if (lease && isDeadLocalHolder(lease.holder)) await store.releaseHostLease(host.id, lease.holder);
  }
}

/**
 * Marks runs whose worker is gone as interrupted, so a worker resumes them: at once when the worker was a
 * process of this machine that has died (its lease is then freed), otherwise once its lease is stale. The runs
 * are recovered before the leases go, so their interruption can say when the dead worker was last alive.
 */
export async function recoverStoppedRuns(store: Store, leaseStaleMs: number): Promise<RunRecord[]> {
  const recovered = await recoverInterruptedRuns(store, leaseStaleMs, isDeadLocalHolder);
  await releaseDeadLocalLeases(store);
  return recovered;
}
