import type { LimitChangeRecord } from "@lmstrix/core";
import { listLimitChanges } from "@lmstrix/db";
import type { Command } from "../args";
import { openExistingDatabase } from "../database";
import { EXIT } from "../errors";
import { formatDateTime } from "../format/numbers";
import { renderTable } from "../format/table";
import { chooseHost } from "../hosts";
import type { CommandContext } from "./context";

/** `lmstrix changes`: the limits re-tests moved, newest first (reads only). */
export async function changesCommand(
  command: Extract<Command, { name: "changes" }>,
  { io, env }: CommandContext,
): Promise<number> {
  const database = await openExistingDatabase(env);
  try {
    const choice =
      command.host === undefined ? null : await chooseHost(database?.store ?? null, command.host, env);
    // A host named but never stored has no changes; neither has a database not created yet.
    const changes =
      !database || (choice !== null && !("stored" in choice))
        ? []
        : await listLimitChanges(database.db.prisma, {
            hostId: choice && "stored" in choice ? choice.stored.id : undefined,
            direction: command.direction,
            take: command.limit,
          });
    if (command.json) {
      io.stdout.write(`${JSON.stringify({ changes: changes.map(changeJson) }, null, 2)}\n`);
      return EXIT.ok;
    }
    if (changes.length === 0) {
      io.stdout.write(
        "No limit changes yet: a re-test that moves a limit past the precision is listed here.\n",
      );
      return EXIT.ok;
    }
    io.stdout.write(renderChangesTable(changes));
    return EXIT.ok;
  } finally {
    await database?.close();
  }
}

function changeJson(change: LimitChangeRecord) {
  return { ...change, createdAt: change.createdAt.toISOString() };
}

function renderChangesTable(changes: readonly LimitChangeRecord[]): string {
  const columns = [
    { header: "When" },
    { header: "Host" },
    { header: "Model" },
    { header: "Limit" },
    { header: "Change" },
    { header: "What moved" },
    { header: "Run", align: "right" as const },
  ];
  const rows = changes.map((change) => [
    formatDateTime(change.createdAt),
    change.hostName,
    change.modelKey,
    change.kind,
    change.direction,
    change.description,
    `#${change.runId}`,
  ]);
  return renderTable(columns, rows, "Limit Changes");
}
