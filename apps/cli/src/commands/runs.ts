import type { Command } from "../args";
import { openExistingDatabase } from "../database";
import { EXIT } from "../errors";
import { type RunRow, renderRunsTable } from "../format/runs-table";
import { chooseHost } from "../hosts";
import type { CommandContext } from "./context";

export async function runsCommand(command: Extract<Command, { name: "runs" }>, { io, env }: CommandContext) {
  const database = await openExistingDatabase(env);
  try {
    const choice = await chooseHost(database?.store ?? null, command.host, env);
    if (!database || (command.host !== undefined && !("stored" in choice))) {
      io.stdout.write("No runs yet.\n");
      return EXIT.ok;
    }
    const { store } = database;
    const names = new Map((await store.listHosts()).map((host) => [host.id, host.name]));
    const hostId = command.host !== undefined && "stored" in choice ? choice.stored.id : undefined;
    const runs = (await store.listRuns({ hostId })).slice(-command.limit).reverse();
    if (runs.length === 0) {
      io.stdout.write("No runs yet.\n");
      return EXIT.ok;
    }
    const rows: RunRow[] = [];
    for (const run of runs) {
      rows.push({
        run,
        hostName: names.get(run.hostId) ?? "?",
        probes: (await store.listRunProbes(run.id)).length,
      });
    }
    io.stdout.write(renderRunsTable(rows));
    return EXIT.ok;
  } finally {
    await database?.close();
  }
}
