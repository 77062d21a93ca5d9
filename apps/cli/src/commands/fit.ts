import { tokens } from "@lmstrix/core";
import { readFits } from "@lmstrix/db";
import type { Command } from "../args";
import { openExistingDatabase } from "../database";
import { EXIT } from "../errors";
import { renderFits } from "../format/matrix-table";
import type { CommandContext } from "./context";

export async function fitCommand(command: Extract<Command, { name: "fit" }>, { io, env }: CommandContext) {
  const database = await openExistingDatabase(env);
  try {
    const query = { tokens: command.tokens, minTokensPerSec: command.minTokensPerSec, type: command.type };
    const fits = database ? await readFits(database.db.prisma, query) : [];
    if (command.json) io.stdout.write(`${JSON.stringify(fits, null, 2)}\n`);
    else if (fits.length === 0) {
      const speed = command.minTokensPerSec > 0 ? ` at ${command.minTokensPerSec} tok/s or faster` : "";
      const type = command.type ? ` ${command.type}` : "";
      io.stdout.write(
        `No tested${type} model serves ${tokens(command.tokens)} tokens${speed} by measurement.\n`,
      );
    } else io.stdout.write(renderFits(fits));
    return EXIT.ok;
  } finally {
    await database?.close();
  }
}
