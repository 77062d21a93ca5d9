import type { ModelSummary } from "@lmstrix/core";
import type { Command } from "../args";
import { openExistingDatabase } from "../database";
import { EXIT } from "../errors";
import { renderModelsTable, sortModels } from "../format/models-table";
import { chooseHost } from "../hosts";
import type { CommandContext } from "./context";

export async function listCommand(
  command: Extract<Command, { name: "list" }>,
  { io, env }: CommandContext,
): Promise<number> {
  // Reading never creates the database.
  const database = await openExistingDatabase(env);
  try {
    let models: (ModelSummary & { hostName: string })[] = [];
    if (database) {
      const hosts = await database.store.listHosts();
      const names = new Map(hosts.map((host) => [host.id, host.name]));
      let hostId: number | undefined;
      if (command.host !== undefined) {
        const choice = await chooseHost(database.store, command.host, env);
        hostId = "stored" in choice ? choice.stored.id : -1;
      }
      const rows = listedModels(await database.store.listModels({ hostId }));
      models = rows.map((model) => ({ ...model, hostName: names.get(model.hostId) ?? "?" }));
    } else if (command.host !== undefined) {
      await chooseHost(null, command.host, env);
    }
    const sorted = sortModels(models, command.sort);
    switch (command.show) {
      case "id":
        for (const model of sorted) io.stdout.write(`${model.modelKey}\n`);
        break;
      case "path":
        for (const model of sorted) io.stdout.write(`${model.path}\n`);
        break;
      case "json":
        io.stdout.write(`${JSON.stringify(sorted.map(toJson), null, 2)}\n`);
        break;
      case "table":
        if (sorted.length === 0) {
          io.stdout.write('No models yet. Run "pnpm lmstrix scan" to read them from LM Studio.\n');
        } else {
          io.stdout.write(renderModelsTable(sorted));
          const unconfirmed = sorted.filter((model) => !model.isPresent).length;
          if (unconfirmed > 0) {
            io.stdout.write(
              `${unconfirmed} of them imported and not seen on the host by a scan since; "pnpm lmstrix scan" confirms which are there.\n`,
            );
          }
        }
    }
    return EXIT.ok;
  } finally {
    await database?.close();
  }
}

/**
 * The models a host has now: those its last scan saw, and those imported since (a registry is a list of the
 * host's models too; the next scan confirms them or leaves them out). Models a scan found gone stay hidden:
 * a scan only refreshes `lastSeenAt` of the models it sees, so an absent model seen last before the host's
 * latest scan is gone, and one seen (imported) after it has not been checked yet.
 */
export function listedModels<T extends Pick<ModelSummary, "hostId" | "isPresent" | "lastSeenAt">>(
  models: readonly T[],
): T[] {
  const lastScan = new Map<number, number>();
  for (const model of models) {
    if (!model.isPresent) continue;
    lastScan.set(model.hostId, Math.max(lastScan.get(model.hostId) ?? 0, model.lastSeenAt.getTime()));
  }
  return models.filter(
    (model) => model.isPresent || model.lastSeenAt.getTime() > (lastScan.get(model.hostId) ?? 0),
  );
}

/** lmstrix-like field names for scripts, plus what LMStrix adds. */
function toJson(model: ModelSummary & { hostName: string }) {
  return {
    id: model.modelKey,
    host: model.hostName,
    path: model.path,
    type: model.type,
    size_bytes: model.sizeBytes,
    ctx_in: model.declaredContext,
    has_tools: model.toolUse,
    has_vision: model.vision,
    tested_max_context: model.loadableLimit,
    // Not in lmstrix's list (it measures no effective limit): named as the CSV export names it.
    effective_limit: model.effectiveLimit,
    // The recall threshold the effective search read at; with a null effective_limit, it found none there.
    effective_recall_threshold: model.effectiveThreshold,
    last_known_good_context: model.lastGoodContext,
    last_known_bad_context: model.lastBadContext,
    context_test_status: model.testStatus,
    context_test_date: model.lastTestedAt?.toISOString() ?? null,
    error_category: model.errorCategory,
    error_msg: model.errorMessage,
    on_host: model.isPresent ? true : null,
  };
}
