import type { LimitChangeRecord, NewLimitChange, StaleReason } from "@lmstrix/core";
import { describeLimitChange } from "@lmstrix/core";
import type { LimitChange as LimitChangeRow, PrismaClient } from "@prisma/client";

/** Which changes to list: newest first, of one host or direction, at most `take`. */
export interface LimitChangeFilter {
  hostId?: number;
  direction?: "regression" | "improvement";
  take?: number;
}

export const DEFAULT_LIMIT_CHANGES_TAKE = 200;

type Row = LimitChangeRow & { host: { name: string }; model: { modelKey: string } };
const WITH_NAMES = { host: { select: { name: true } }, model: { select: { modelKey: true } } } as const;

/** Causes as stored: file times come back from JSON as strings. */
function causesFromJson(json: string): StaleReason[] {
  try {
    const causes = JSON.parse(json) as StaleReason[];
    return Array.isArray(causes)
      ? causes.map((cause) =>
          cause.kind === "model-modified"
            ? { ...cause, measured: new Date(cause.measured), current: new Date(cause.current) }
            : cause,
        )
      : [];
  } catch {
    return [];
  }
}

function toLimitChangeRecord(row: Row): LimitChangeRecord {
  return {
    id: row.id,
    hostId: row.hostId,
    hostName: row.host.name,
    modelId: row.modelId,
    modelKey: row.model.modelKey,
    runId: row.runId,
    kind: row.kind === "effective" ? "effective" : "loadable",
    from: row.fromLimit,
    to: row.toLimit,
    direction: row.direction === "improvement" ? "improvement" : "regression",
    causes: causesFromJson(row.causesJson),
    description: row.description,
    createdAt: row.createdAt,
  };
}

export async function recordLimitChange(
  prisma: PrismaClient,
  { hostId, modelId, runId, change }: NewLimitChange,
): Promise<LimitChangeRecord> {
  const row = await prisma.limitChange.create({
    data: {
      hostId,
      modelId,
      runId,
      kind: change.kind,
      fromLimit: change.from,
      toLimit: change.to,
      direction: change.direction,
      causesJson: JSON.stringify(change.causes),
      description: describeLimitChange(change),
    },
    include: WITH_NAMES,
  });
  return toLimitChangeRecord(row);
}

/** The recorded limit changes, newest first (the Changes page and `lmstrix changes`). */
export async function listLimitChanges(
  prisma: PrismaClient,
  filter: LimitChangeFilter = {},
): Promise<LimitChangeRecord[]> {
  const rows = await prisma.limitChange.findMany({
    where: { hostId: filter.hostId, direction: filter.direction },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: filter.take ?? DEFAULT_LIMIT_CHANGES_TAKE,
    include: WITH_NAMES,
  });
  return rows.map(toLimitChangeRecord);
}
