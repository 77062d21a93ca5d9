import { compareModels, comparisonSelectionProblem, LmstrixError, type Store } from "@lmstrix/core";
import { readModelComparison } from "@lmstrix/db";
import type { Command, ComparedModelName } from "../args";
import { openExistingDatabase } from "../database";
import { EXIT, UsageError } from "../errors";
import { renderComparison } from "../format/comparison-table";
import { chooseHost, hostName } from "../hosts";
import type { CommandContext } from "./context";

type CompareCommand = Extract<Command, { name: "compare" }>;

/** The stored id of a named model; an unknown host is bad usage, an unknown model names itself. */
async function modelIdOf(
  store: Store | null,
  name: ComparedModelName,
  env: CommandContext["env"],
): Promise<number> {
  const choice = await chooseHost(store, name.host, env);
  const model = store && "stored" in choice ? await store.getModel(choice.stored.id, name.modelKey) : null;
  if (!model) {
    throw new LmstrixError(
      "MODEL_NOT_FOUND",
      `${hostName(choice)} has no model "${name.modelKey}" (scan it first)`,
    );
  }
  return model.id;
}

/**
 * `lmstrix compare`: 2–4 models side by side, with the figures of the dashboard's Compare page (core's
 * `compareModels` over the store's `readModelComparison`, as the page reads them).
 */
export async function compareCommand(command: CompareCommand, { io, env }: CommandContext): Promise<number> {
  // Reading never creates the database.
  const database = await openExistingDatabase(env);
  try {
    const store = database?.store ?? null;
    const ids: number[] = [];
    for (const name of command.models) ids.push(await modelIdOf(store, name, env));
    const problem = comparisonSelectionProblem(ids);
    if (problem !== null) throw new UsageError(`${problem}: two names given are the same model`, "compare");
    // Every id was just found, so none is missing.
    const stored = await readModelComparison(database!.db.prisma, ids);
    const comparison = compareModels(stored.models, command.thresholds);
    io.stdout.write(command.json ? `${JSON.stringify(comparison, null, 2)}\n` : renderComparison(comparison));
    return EXIT.ok;
  } finally {
    await database?.close();
  }
}
