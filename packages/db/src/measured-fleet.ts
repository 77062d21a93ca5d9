import {
  buildMatrix,
  type FitQuery,
  type FitResult,
  type FleetModel,
  fitQuerySchema,
  type Matrix,
  type MeasuredFleet,
  type MeasuredSpeed,
  whatFits,
} from "@lmstrix/core";
import type { PrismaClient } from "@prisma/client";
import { fromSqliteDateTime } from "./sqlite-raw";

/**
 * Which probe speeds to read: only those core's rule can pick, at most one per model and probe kind, so the
 * read stays small (a fleet of 5,000 models has about 75,000 window sizes with a speed).
 *  - "at-limit" (the matrix, `speedAtLimit`): the largest window at or below the model's served limit;
 *  - "for-request" (the finder, `speedForRequest`): the smallest window of at least `tokens`.
 * Either way the latest probe at that window. Core picks between the kinds, so its answer is the one it gives
 * over every probe.
 */
export type SpeedSelection = { kind: "at-limit" } | { kind: "for-request"; tokens: number };

const WINDOW = `COALESCE(p."contextApplied", p."contextRequested")`;
/**
 * Core's `servedLimit`: none where the effective search found none; else the smaller of the two where both are
 * known (SQLite's MIN() of a NULL is NULL), else the one.
 */
const SERVED_LIMIT = `CASE WHEN m."effectiveLimit" IS NULL AND m."effectiveThreshold" IS NOT NULL THEN NULL
  ELSE COALESCE(MIN(m."effectiveLimit", m."loadableLimit"), m."effectiveLimit", m."loadableLimit") END`;
/** A window (≤ 10 million) and a probe id (< 2³²) packed into one number that sorts by window, then by id. */
const ID_SPAN = 4_294_967_296;

/**
 * Each model's chosen probe per kind: a correlated MAX()/MIN() over `Probe_speed_idx` (model and kind are its
 * leading columns after the outcome), the probe's id unpacked from the result, then its speed by primary key.
 * For the smallest window the id is stored as ID_SPAN − 1 − id, so that at one window the latest still wins.
 */
function speedQuery(selection: SpeedSelection): { sql: string; args: number[] } {
  const [pick, window, idOf, args] =
    selection.kind === "at-limit"
      ? [`MAX(${WINDOW} * ${ID_SPAN} + p."id")`, `<= ${SERVED_LIMIT}`, `packed % ${ID_SPAN}`, []]
      : [
          `MIN(${WINDOW} * ${ID_SPAN} + ${ID_SPAN - 1} - p."id")`,
          ">= ?",
          `${ID_SPAN - 1} - packed % ${ID_SPAN}`,
          [selection.tokens],
        ];
  return {
    sql: `WITH picked AS (
            SELECT (SELECT ${pick} FROM "Probe" p
                     WHERE p."outcome" = 'pass' AND p."modelId" = m."id" AND p."kind" = k.kind
                       AND p."genTokensPerSec" IS NOT NULL AND ${WINDOW} ${window}) AS packed
              FROM "Model" m, (SELECT 'loadable' AS kind UNION ALL SELECT 'effective') k
             WHERE m."isPresent" = 1 AND ${SERVED_LIMIT} IS NOT NULL)
          SELECT json_group_array(json_array(p."modelId", p."kind", ${WINDOW}, p."genTokensPerSec")) AS rows
            FROM picked JOIN "Probe" p ON p."id" = ${idOf}`,
    args,
  };
}

/** The columns of `FleetModel`, in the order the models' statement lists them. */
const MODEL_COLUMNS = [
  "id",
  "hostId",
  "modelKey",
  "displayName",
  "type",
  "quantization",
  "declaredContext",
  "loadableLimit",
  "effectiveLimit",
  "effectiveThreshold",
  "testStatus",
  "sizeBytes",
  "modifiedAt",
  "measuredLmStudioVersion",
  "measuredSizeBytes",
  "measuredModifiedAt",
] as const;

type ModelTuple = [
  number,
  number,
  string,
  string,
  string,
  string | null,
  number,
  number | null,
  number | null,
  number | null,
  string,
  number,
  string | number | null,
  string | null,
  number | null,
  string | number | null,
];

function toFleetModel(row: ModelTuple): FleetModel {
  const [id, hostId, modelKey, displayName, type, quantization, declaredContext, loadableLimit] = row;
  const [
    ,
    ,
    ,
    ,
    ,
    ,
    ,
    ,
    effectiveLimit,
    effectiveThreshold,
    testStatus,
    sizeBytes,
    modifiedAt,
    version,
    measuredSize,
    measuredAt,
  ] = row;
  return {
    id,
    hostId,
    modelKey,
    displayName,
    type,
    quantization,
    declaredContext,
    loadableLimit,
    effectiveLimit,
    effectiveThreshold,
    testStatus,
    sizeBytes,
    modifiedAt: fromSqliteDateTime(modifiedAt),
    measuredLmStudioVersion: version,
    measuredSizeBytes: measuredSize,
    measuredModifiedAt: fromSqliteDateTime(measuredAt),
  };
}

/** One statement's rows aggregated into one JSON text by SQLite: 5,000 rows through Prisma took 5× longer. */
async function jsonRows<T>(prisma: PrismaClient, sql: string, args: number[] = []): Promise<T[]> {
  const [result] = await prisma.$queryRawUnsafe<{ rows: string | null }[]>(sql, ...args);
  return JSON.parse(result?.rows ?? "[]") as T[];
}

/**
 * What the matrix and the finder read, for every host at once, in three statements whatever the fleet's size:
 * the hosts, the models they list now, and the probe speeds `selection` names.
 */
export async function readMeasuredFleet(
  prisma: PrismaClient,
  selection: SpeedSelection,
): Promise<MeasuredFleet> {
  const speedSql = speedQuery(selection);
  const columns = MODEL_COLUMNS.map((column) => `"${column}"`).join(", ");
  const [hosts, models, speeds] = await Promise.all([
    prisma.host.findMany({ select: { id: true, name: true, lmStudioVersion: true } }),
    jsonRows<ModelTuple>(
      prisma,
      `SELECT json_group_array(json_array(${columns})) AS rows FROM "Model" WHERE "isPresent" = 1`,
    ),
    jsonRows<[number, string, number, number]>(prisma, speedSql.sql, speedSql.args),
  ]);
  return {
    hosts,
    models: models.map(toFleetModel),
    speeds: speeds.map(
      ([modelId, kind, context, genTokensPerSec]): MeasuredSpeed => ({
        modelId,
        kind,
        context,
        genTokensPerSec,
      }),
    ),
  };
}

/** The matrix (core's `buildMatrix`) over the fleet as stored now. */
export async function readMatrix(prisma: PrismaClient): Promise<Matrix> {
  return buildMatrix(await readMeasuredFleet(prisma, { kind: "at-limit" }));
}

/** What fits the request (core's `whatFits`), best first, over the fleet as stored now. */
export async function readFits(prisma: PrismaClient, query: FitQuery): Promise<FitResult[]> {
  const request = fitQuerySchema.parse(query);
  return whatFits(await readMeasuredFleet(prisma, { kind: "for-request", tokens: request.tokens }), request);
}
