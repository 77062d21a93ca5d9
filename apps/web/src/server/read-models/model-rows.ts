import "server-only";
import { describeStaleReason, modelStaleReasons } from "@lmstrix/core";
import type { Database } from "@lmstrix/db";

const MODEL_ROW_SELECT = {
  id: true,
  hostId: true,
  modelKey: true,
  displayName: true,
  type: true,
  sizeBytes: true,
  declaredContext: true,
  loadableLimit: true,
  effectiveLimit: true,
  effectiveThreshold: true,
  lastGoodContext: true,
  lastBadContext: true,
  testStatus: true,
  lastTestedAt: true,
  errorCategory: true,
  isPresent: true,
  modifiedAt: true,
  measuredLmStudioVersion: true,
  measuredSizeBytes: true,
  measuredModifiedAt: true,
} as const;

/**
 * The Models table's rows (each with its host's id and name), host name then key in SQLite's binary order:
 * `model.list` reads them all, the live feed only those a run just changed.
 */
export async function readModelRows(
  { prisma }: Pick<Database, "prisma">,
  filter: { hostId?: number; ids?: number[] },
) {
  // Flat rows and the (few) hosts apart, sorted here: Prisma's nested `host` select plus an ORDER BY on the
  // relation cost about twice as much per row (docs/benchmarks.md, "Web server").
  const [hosts, models] = await Promise.all([
    prisma.host.findMany({
      where: { id: filter.hostId },
      select: { id: true, name: true, lmStudioVersion: true },
    }),
    prisma.model.findMany({
      where: { hostId: filter.hostId, id: filter.ids ? { in: filter.ids } : undefined },
      select: MODEL_ROW_SELECT,
    }),
  ]);
  const hostById = new Map(hosts.map((host) => [host.id, host]));
  const rows = models.flatMap(
    ({ hostId, modifiedAt, measuredLmStudioVersion, measuredSizeBytes, measuredModifiedAt, ...model }) => {
      const host = hostById.get(hostId);
      if (!host) return [];
      const reasons = modelStaleReasons(
        {
          testStatus: model.testStatus,
          sizeBytes: Number(model.sizeBytes),
          modifiedAt,
          measuredLmStudioVersion,
          measuredSizeBytes,
          measuredModifiedAt,
        },
        host.lmStudioVersion,
      );
      // Why the stored result no longer speaks for the host, in words (empty: it does).
      const stale = reasons.map(describeStaleReason);
      return [{ ...model, stale, host: { id: host.id, name: host.name } }];
    },
  );
  const binary = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  rows.sort((a, b) => binary(a.host.name, b.host.name) || binary(a.modelKey, b.modelKey));
  return rows.map(({ sizeBytes, ...row }) => ({ ...row, sizeBytes: Number(sizeBytes) }));
}

export type ModelRowOutput = Awaited<ReturnType<typeof readModelRows>>[number];
