import type { RegistryModel } from "@lmstrix/core/registry";
import type { Prisma, PrismaClient } from "@prisma/client";
import { parseExtras } from "./field-diff";
import { IMPORT_STARTED_BY, type ImportRunOptions, type PlannedProbe } from "./types";

/**
 * The measurements an entry holds, as history: a pass at its loadable limit (or last good size) and a fail at
 * its last bad size, both at the entry's date (or now, for an entry without one).
 */
export function plannedProbes(entry: RegistryModel, now: Date): PlannedProbe[] {
  const at = entry.lastTestedAt ?? now;
  const probes: PlannedProbe[] = [];
  const pass = entry.loadableLimit ?? entry.lastGoodContext;
  if (pass !== null) probes.push({ outcome: "pass", contextRequested: pass, at });
  if (entry.lastBadContext !== null && entry.lastBadContext !== pass) {
    probes.push({ outcome: "fail", contextRequested: entry.lastBadContext, at });
  }
  return probes;
}

export interface ImportRun {
  id: number;
  createdAt: Date;
  options: Partial<ImportRunOptions>;
}

/** The host's import runs, oldest first. */
export async function importRuns(
  client: PrismaClient | Prisma.TransactionClient,
  hostId: number,
): Promise<ImportRun[]> {
  const runs = await client.run.findMany({
    where: { hostId, startedBy: IMPORT_STARTED_BY },
    orderBy: { id: "asc" },
    select: { id: true, createdAt: true, optionsJson: true },
  });
  return runs.map((run) => ({ id: run.id, createdAt: run.createdAt, options: parseExtras(run.optionsJson) }));
}
