/**
 * A separate process for the race test of `createRunUnlessPending`: opens the database in the data directory
 * given as the first argument and asks, `count` times at once, for the same "test all" of host 1. Prints
 * `{"created": [...run ids], "existing": [...run ids]}`.
 */
import { runOptionsSchema } from "@lmstrix/core";
import { openDatabase } from "../../src/open-database";
import { PrismaStore } from "../../src/prisma-store";

const [dataDir, count = "5"] = process.argv.slice(2);
if (!dataDir) throw new Error("usage: race-pending-runs DATA_DIR [COUNT]");
const db = await openDatabase({ dataDir });
try {
  const store = new PrismaStore(db.prisma);
  const request = { hostId: 1, mode: "all" as const, options: runOptionsSchema.parse({}), startedBy: "race" };
  const results = await Promise.all(
    Array.from({ length: Number(count) }, () => store.createRunUnlessPending(request)),
  );
  const ids = (created: boolean) => results.filter((r) => r.created === created).map((r) => r.run.id);
  process.stdout.write(JSON.stringify({ created: ids(true), existing: ids(false) }));
} finally {
  await db.close();
}
