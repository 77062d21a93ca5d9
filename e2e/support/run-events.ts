import { parseRunEvent, type RunEvent } from "@lmstrix/core";
import { type Database, PrismaStore } from "@lmstrix/db";

/** A run's events as the dashboard reads them: typed, oldest first (a row that does not fit its kind is left out). */
export async function readRunEvents(db: Database, runId: number): Promise<RunEvent[]> {
  const events = await new PrismaStore(db.prisma).listEventsAfter(runId, 0, 100_000);
  return events.map(parseRunEvent).filter((event) => event !== null);
}
