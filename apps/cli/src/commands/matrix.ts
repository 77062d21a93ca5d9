import { readMatrix } from "@lmstrix/db";
import type { Command } from "../args";
import { openExistingDatabase } from "../database";
import { EXIT } from "../errors";
import { renderMatrix } from "../format/matrix-table";
import type { CommandContext } from "./context";

export async function matrixCommand(
  command: Extract<Command, { name: "matrix" }>,
  { io, env }: CommandContext,
): Promise<number> {
  // Reading never creates the database.
  const database = await openExistingDatabase(env);
  try {
    const matrix = database ? await readMatrix(database.db.prisma) : { hosts: [], groups: [] };
    if (command.json) io.stdout.write(`${JSON.stringify(matrix, null, 2)}\n`);
    else if (matrix.groups.length === 0) {
      io.stdout.write('No models yet. Run "pnpm lmstrix scan" to read them from LM Studio.\n');
    } else io.stdout.write(renderMatrix(matrix));
    return EXIT.ok;
  } finally {
    await database?.close();
  }
}
