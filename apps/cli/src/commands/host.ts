import {
  addHost as addStoredHost,
  editHost as editStoredHost,
  type Host,
  HostBusyError,
  HostNameTakenError,
  LmstrixError,
  liveHostLease,
  removeHost as removeStoredHost,
} from "@lmstrix/core";
import { lmstudioHomeProblem } from "@lmstrix/core/lmstudio-home";
import { createSnapshot } from "@lmstrix/db";
import type { Command } from "../args";
import { openCliDatabase, openExistingDatabase } from "../database";
import { EXIT, UsageError } from "../errors";
import { type HostRow, renderHostsTable } from "../format/hosts-table";
import { DEFAULT_HOST_NAME } from "../hosts";
import type { CommandContext } from "./context";

type HostCommand = Extract<Command, { name: "host-add" | "host-edit" | "host-list" | "host-remove" }>;

export async function hostCommand(command: HostCommand, ctx: CommandContext): Promise<number> {
  switch (command.name) {
    case "host-add":
      return addHost(command, ctx);
    case "host-list":
      return listHosts(ctx);
    case "host-remove":
      return removeHost(command, ctx);
    case "host-edit":
      return editHost(command, ctx);
  }
}

async function addHost(command: Extract<Command, { name: "host-add" }>, { io, env }: CommandContext) {
  const { store, close } = await openCliDatabase(env);
  try {
    const host = await addStoredHost(
      store,
      {
        name: command.hostName,
        url: command.url,
        lmstudioHome: command.lmstudioHome,
      },
      lmstudioHomeProblem,
    );
    io.stdout.write(
      `Added host ${host.name} (${host.url}). Scan it with: lmstrix scan --host ${host.name}\n`,
    );
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof HostNameTakenError)) throw error;
    const { existing } = error;
    if (existing.url !== command.url)
      throw new UsageError(`a host named "${existing.name}" exists already, at ${existing.url}`, "host");
    const home = command.lmstudioHome;
    const keeps =
      home !== undefined && home !== existing.lmstudioHome
        ? `; its LM Studio home stays ${existing.lmstudioHome ?? "unset"} (change it with lmstrix host edit ${existing.name} --lmstudio-home DIR)`
        : "";
    io.stdout.write(`Host ${existing.name} (${existing.url}) is registered already${keeps}\n`);
    return EXIT.ok;
  } finally {
    await close();
  }
}

async function listHosts({ io, env }: CommandContext) {
  const database = await openExistingDatabase(env);
  try {
    const hosts = database ? await database.store.listHosts() : [];
    if (hosts.length === 0) {
      io.stdout.write(
        `No hosts yet. "${DEFAULT_HOST_NAME}" (${env.LMSTUDIO_URL}, from LMSTUDIO_URL) is added the first time a command uses it.\n`,
      );
      return EXIT.ok;
    }
    const rows: HostRow[] = [];
    for (const host of hosts) {
      rows.push({
        host,
        models: (await database!.store.listModels({ hostId: host.id, isPresent: true })).length,
        lease: await liveHostLease(database!.store, host.id, env.LMSTRIX_LEASE_STALE_MS),
      });
    }
    io.stdout.write(renderHostsTable(rows));
    return EXIT.ok;
  } finally {
    await database?.close();
  }
}

/** The host of that name in the database, or a usage error: remove and edit name a host that exists. */
async function registeredHost(database: Awaited<ReturnType<typeof openExistingDatabase>>, name: string) {
  // In any case, as names are taken: "LOCAL" is local.
  const wanted = name.toLowerCase();
  const host = database
    ? (await database.store.listHosts()).find((h) => h.name.toLowerCase() === wanted)
    : undefined;
  if (!database || !host) {
    const note =
      wanted === DEFAULT_HOST_NAME ? " (it is added the first time a command uses it, e.g. scan)" : "";
    throw new UsageError(`unknown host "${name}"${note}`, "host");
  }
  return { open: database, host };
}

async function removeHost(command: Extract<Command, { name: "host-remove" }>, { io, env }: CommandContext) {
  const database = await openExistingDatabase(env);
  try {
    const { open, host } = await registeredHost(database, command.hostName);
    let snapshot = "";
    try {
      // A host takes its models and their whole history with it: a snapshot first, to go back to.
      await removeStoredHost(open.store, host, env.LMSTRIX_LEASE_STALE_MS, async () => {
        snapshot = (await createSnapshot(open.db, "before-remove", { keep: env.LMSTRIX_SNAPSHOT_KEEP })).name;
      });
    } catch (error) {
      if (!(error instanceof HostBusyError)) throw error;
      const { runId } = error.by;
      throw new LmstrixError(
        "HOST_BUSY",
        `run #${runId} is running on ${host.name}; cancel it first (lmstrix cancel ${runId})`,
        { cause: error },
      );
    }
    io.stdout.write(
      `Removed host ${host.name} with its models and run history (snapshot ${snapshot} taken before: lmstrix snapshot restore ${snapshot} brings them back)\n`,
    );
    if (host.name === DEFAULT_HOST_NAME) {
      io.stdout.write(
        `Note: "${DEFAULT_HOST_NAME}" comes back (from LMSTUDIO_URL) the next time a command uses it.\n`,
      );
    }
    return EXIT.ok;
  } finally {
    await database?.close();
  }
}

async function editHost(command: Extract<Command, { name: "host-edit" }>, { io, env }: CommandContext) {
  const database = await openExistingDatabase(env);
  try {
    const { open, host } = await registeredHost(database, command.hostName);
    if (
      host.name === DEFAULT_HOST_NAME &&
      command.patch.name !== undefined &&
      command.patch.name !== host.name
    ) {
      // Commands without --host use the host of this name (from LMSTUDIO_URL) and would make it again.
      throw new UsageError(
        `"${DEFAULT_HOST_NAME}" is the default host (from LMSTUDIO_URL) and keeps its name; add a host of another name for another LM Studio`,
        "host",
      );
    }
    const edited = await editStoredHost(open.store, host.id, command.patch, {
      checkHome: lmstudioHomeProblem,
      leaseStaleMs: env.LMSTRIX_LEASE_STALE_MS,
    }).catch((error: unknown) => {
      if (error instanceof HostNameTakenError) throw new UsageError(error.message, "host");
      throw error;
    });
    if (!edited) throw new UsageError(`unknown host "${command.hostName}"`, "host");
    io.stdout.write(`Host ${edited.name}: ${edited.url}, LM Studio home ${homeText(edited)}\n`);
    return EXIT.ok;
  } finally {
    await database?.close();
  }
}

/** Where `apply` writes for the host: its home, the default host's fallback, or nowhere on this machine. */
function homeText(host: Host): string {
  if (host.lmstudioHome !== null) return host.lmstudioHome;
  return host.name === DEFAULT_HOST_NAME
    ? "$LMSTUDIO_HOME, else ~/.lmstudio (the default host's)"
    : "not on this machine";
}
