import type { Host } from "../domain/host";
import { LmstrixError } from "../errors/lmstrix-error";
import type { HostPatch, Store } from "../ports/store";
import { hostHolder } from "./host-idle";

/** A host name is one host's: the dashboard and the CLI refuse a second host of that name alike. */
export class HostNameTakenError extends LmstrixError<"HOST_NAME_TAKEN"> {
  override readonly name = "HostNameTakenError";

  constructor(readonly existing: Host) {
    super("HOST_NAME_TAKEN", `A host named "${existing.name}" exists already`);
  }
}

/** The host a name stands for, in any case: "Emulator" beside "emulator" would be two hosts no one tells apart. */
function hostNamed(hosts: readonly Host[], name: string): Host | undefined {
  const wanted = name.toLowerCase();
  return hosts.find((host) => host.name.toLowerCase() === wanted);
}

/**
 * Why a folder cannot be a host's LM Studio home here, or null (`lmstudioHomeProblem` of
 * `@lmstrix/core/lmstudio-home`: a function given in, as the file system is the caller's).
 */
export type HomeCheck = (home: string) => Promise<string | null>;

async function assertHome(home: string | null | undefined, checkHome: HomeCheck): Promise<void> {
  if (home === null || home === undefined) return;
  const problem = await checkHome(home);
  if (problem) throw new LmstrixError("INVALID_INPUT", problem);
}

/**
 * Registers a host; refused (HostNameTakenError, with the host there is) when its name is taken, and
 * (INVALID_INPUT) when its LM Studio home is not a folder on this machine: nothing is written then.
 */
export async function addHost(
  store: Pick<Store, "listHosts" | "ensureHost">,
  input: { name: string; url: string; lmstudioHome?: string | null },
  checkHome: HomeCheck,
): Promise<Host> {
  const existing = hostNamed(await store.listHosts(), input.name);
  if (existing) throw new HostNameTakenError(existing);
  await assertHome(input.lmstudioHome, checkHome);
  return store.ensureHost(input.name, input.url, input.lmstudioHome ?? null);
}

/**
 * Renames, moves, points at its LM Studio home or switches a host on or off; null when there is no such host.
 * A new URL is refused (HOST_BUSY) while a run holds the host: its loads and checks are under way at the old one.
 */
export async function editHost(
  store: Pick<Store, "listHosts" | "updateHost" | "getHostLease">,
  id: number,
  patch: HostPatch,
  { checkHome, leaseStaleMs }: { checkHome: HomeCheck; leaseStaleMs: number },
): Promise<Host | null> {
  const hosts = await store.listHosts();
  if (patch.name !== undefined) {
    const clash = hostNamed(hosts, patch.name);
    if (clash && clash.id !== id) throw new HostNameTakenError(clash);
  }
  // The home it has is not checked again: a form sends it back unchanged, and an unmounted drive must not
  // stop a rename.
  const current = hosts.find((host) => host.id === id);
  if (patch.lmstudioHome !== current?.lmstudioHome) await assertHome(patch.lmstudioHome, checkHome);
  if (current && patch.url !== undefined && patch.url !== current.url) {
    const by = await hostHolder(store, id, leaseStaleMs);
    if (by) {
      throw new LmstrixError(
        "HOST_BUSY",
        `Host ${current.name} is busy with run #${by.runId}; change its URL when the run ends (or cancel it)`,
      );
    }
  }
  return store.updateHost(id, patch);
}
