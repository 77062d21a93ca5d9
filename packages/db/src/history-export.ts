import type { Host, PrismaClient } from "@prisma/client";

export type { HistoryExport } from "./history-format";

import { needlesFromJson } from "./needles-column";
import { rowsById } from "./paged-read";
import { parseExtras } from "./registry-import/field-diff";

/** Rows read per query: a history of a million events is written without ever holding more than a page. */
const PAGE = 2_000;

const iso = (date: Date) => date.toISOString();
const isoOrNull = (date: Date | null) => (date ? date.toISOString() : null);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** How many rows of each list a history export wrote (filled in as it streams). */
export interface HistoryTally {
  hosts: number;
  schedules: number;
  models: number;
  runs: number;
  probes: number;
  limitChanges: number;
  events: number;
}

export function emptyTally(): HistoryTally {
  return { hosts: 0, schedules: 0, models: 0, runs: 0, probes: 0, limitChanges: 0, events: 0 };
}

/** Writes `"name": [` … `]` with one JSON value per line. */
async function* array<Row>(
  name: keyof HistoryTally,
  rows: AsyncIterable<Row> | Iterable<Row>,
  toJson: (row: Row) => unknown,
  tally: HistoryTally,
  isLast = false,
): AsyncGenerator<string> {
  yield `  "${name}": [`;
  let separator = "\n    ";
  let buffered = "";
  for await (const row of rows) {
    tally[name] += 1;
    buffered += `${separator}${JSON.stringify(toJson(row))}`;
    separator = ",\n    ";
    if (buffered.length > 64 * 1024) {
      yield buffered;
      buffered = "";
    }
  }
  yield `${buffered}${separator === ",\n    " ? "\n  " : ""}]${isLast ? "\n" : ",\n"}`;
}

/** The newest id of each table (0 when empty), read in one statement. */
async function latestIds(prisma: PrismaClient) {
  const [row] = await prisma.$queryRaw<
    { model: number; run: number; probe: number; event: number; limitChange: number }[]
  >`
    SELECT (SELECT COALESCE(MAX("id"), 0) FROM "Model") AS model, (SELECT COALESCE(MAX("id"), 0) FROM "Run") AS run,
           (SELECT COALESCE(MAX("id"), 0) FROM "Probe") AS probe, (SELECT COALESCE(MAX("id"), 0) FROM "RunEvent") AS event,
           (SELECT COALESCE(MAX("id"), 0) FROM "LimitChange") AS limitChange`;
  return {
    model: Number(row?.model ?? 0),
    run: Number(row?.run ?? 0),
    probe: Number(row?.probe ?? 0),
    event: Number(row?.event ?? 0),
    limitChange: Number(row?.limitChange ?? 0),
  };
}

/**
 * The full history of `hosts` as `HistoryExport` JSON text, in chunks (for a download or a file that may be
 * hundreds of megabytes). Every row is read once, in id order.
 */
export async function* streamHistory(
  prisma: PrismaClient,
  hosts: Host[],
  options: { hostId?: number; now?: Date; tally?: HistoryTally } = {},
): AsyncGenerator<string> {
  const tally = options.tally ?? emptyTally();
  const hostIds = hosts.map((host) => host.id);
  const header = {
    format: "lmstrix-history",
    version: 1,
    exportedAt: iso(options.now ?? new Date()),
    hostId: options.hostId ?? null,
  };
  yield `${JSON.stringify(header, null, 2).slice(0, -2)},\n`;
  yield* array(
    "hosts",
    hosts,
    (host) => ({
      id: host.id,
      name: host.name,
      url: host.url,
      enabled: host.enabled,
      lmStudioVersion: host.lmStudioVersion,
      createdAt: iso(host.createdAt),
      updatedAt: iso(host.updatedAt),
    }),
    tally,
  );
  const byHost = { hostId: { in: hostIds } };
  // A host has a handful of schedules: one read.
  yield* array(
    "schedules",
    await prisma.schedule.findMany({ where: byHost, orderBy: { id: "asc" } }),
    ({ lastRunAt, createdAt, ...schedule }) => ({
      ...schedule,
      lastRunAt: isoOrNull(lastRunAt),
      createdAt: iso(createdAt),
    }),
    tally,
  );
  // A consistent cut without a long read transaction: only rows that existed when the export began, so a run
  // going on meanwhile cannot add probes or events whose run or model is not in the file.
  const upTo = await latestIds(prisma);
  yield* array(
    "models",
    rowsById(
      (afterId, take) =>
        prisma.model.findMany({
          where: { ...byHost, id: { gt: afterId, lte: upTo.model } },
          orderBy: { id: "asc" },
          take,
        }),
      PAGE,
    ),
    ({
      extraJson,
      sizeBytes,
      firstSeenAt,
      lastSeenAt,
      lastTestedAt,
      modifiedAt,
      measuredModifiedAt,
      ...model
    }) => ({
      ...model,
      sizeBytes: Number(sizeBytes),
      firstSeenAt: iso(firstSeenAt),
      lastSeenAt: iso(lastSeenAt),
      lastTestedAt: isoOrNull(lastTestedAt),
      modifiedAt: isoOrNull(modifiedAt),
      measuredModifiedAt: isoOrNull(measuredModifiedAt),
      extra: extraJson ? parseExtras(extraJson) : null,
    }),
    tally,
  );
  yield* array(
    "runs",
    rowsById(
      (afterId, take) =>
        prisma.run.findMany({
          where: { ...byHost, id: { gt: afterId, lte: upTo.run } },
          orderBy: { id: "asc" },
          take,
        }),
      PAGE,
    ),
    ({ optionsJson, createdAt, startedAt, finishedAt, ...run }) => ({
      ...run,
      options: parseExtras(optionsJson),
      createdAt: iso(createdAt),
      startedAt: isoOrNull(startedAt),
      finishedAt: isoOrNull(finishedAt),
    }),
    tally,
  );
  yield* array(
    "probes",
    rowsById(
      (afterId, take) =>
        prisma.probe.findMany({
          where: { run: { ...byHost, id: { lte: upTo.run } }, id: { gt: afterId, lte: upTo.probe } },
          orderBy: { id: "asc" },
          take,
        }),
      PAGE,
    ),
    ({ needlesJson, startedAt, finishedAt, modelModifiedAt, ...probe }) => ({
      ...probe,
      needles: needlesFromJson(needlesJson),
      modelModifiedAt: isoOrNull(modelModifiedAt),
      startedAt: iso(startedAt),
      finishedAt: isoOrNull(finishedAt),
    }),
    tally,
  );
  yield* array(
    "limitChanges",
    rowsById(
      (afterId, take) =>
        prisma.limitChange.findMany({
          where: {
            ...byHost,
            id: { gt: afterId, lte: upTo.limitChange },
            runId: { lte: upTo.run },
            modelId: { lte: upTo.model },
          },
          orderBy: { id: "asc" },
          take,
        }),
      PAGE,
    ),
    ({ causesJson, createdAt, ...change }) => ({
      ...change,
      causes: parseJson(causesJson),
      createdAt: iso(createdAt),
    }),
    tally,
  );
  yield* array(
    "events",
    rowsById(
      (afterId, take) =>
        prisma.runEvent.findMany({
          where: { run: { ...byHost, id: { lte: upTo.run } }, id: { gt: afterId, lte: upTo.event } },
          orderBy: { id: "asc" },
          take,
        }),
      PAGE,
    ),
    ({ payloadJson, createdAt, ...event }) => ({
      ...event,
      payload: parseJson(payloadJson),
      createdAt: iso(createdAt),
    }),
    tally,
    true,
  );
  yield "}\n";
}
