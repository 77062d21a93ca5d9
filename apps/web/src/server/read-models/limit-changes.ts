import "server-only";
import { type Database, type LimitChangeFilter, listLimitChanges } from "@lmstrix/db";

/** The Changes page: limits re-tests moved, newest first, with host and model (db's query, as the CLI's). */
export function readLimitChanges({ prisma }: Pick<Database, "prisma">, filter: LimitChangeFilter) {
  return listLimitChanges(prisma, filter);
}

export type LimitChangeRow = Awaited<ReturnType<typeof readLimitChanges>>[number];
