import { openDatabase, PrismaStore } from "@lmstrix/db";

/** The test's own connection to the CLI's database file, to check what the CLI wrote. */
export async function openStore(dataDir: string) {
  const db = await openDatabase({ dataDir });
  return { store: new PrismaStore(db.prisma), close: () => db.close() };
}
