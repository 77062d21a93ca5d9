import {
  isFinishedRunStatus,
  MAX_CONTEXT,
  MIN_CONTEXT,
  modelTypeSchema,
  probeKindSchema,
  probeOutcomeSchema,
  runModeSchema,
  runStatusSchema,
  testStatusSchema,
} from "@lmstrix/core";
import { z } from "zod";
import { sqliteNumber, sqliteText } from "../sqlite-raw";
import { type CheckContext, defineCheck, type HealthCheck } from "./run-checks";
import { RUNNING_RUNS_SQL, runningRunRow, staleReason } from "./stale-runs";
import type { HealthIds } from "./types";

export const formatNumber = (value: number) => value.toLocaleString("en-US");

const modelRow = z.object({ id: sqliteNumber, hostId: sqliteNumber, modelKey: sqliteText });
type ModelRow = z.output<typeof modelRow>;

const modelLabel = (row: ModelRow, context: CheckContext) =>
  `Model "${row.modelKey}" on ${context.hostLabel(row.hostId)}`;
const modelIds = (row: ModelRow): HealthIds => ({
  hostId: row.hostId,
  modelId: row.id,
  modelKey: row.modelKey,
});

const CONTEXT_COLUMNS = [
  ["declaredContext", "declared context"],
  ["loadableLimit", "loadable limit"],
  ["effectiveLimit", "effective limit"],
  ["lastGoodContext", "last known good context"],
  ["lastBadContext", "last known bad context"],
] as const;

const isContextInRange = (value: unknown) =>
  value === null ||
  value === undefined ||
  (typeof value === "number" && Number.isInteger(value) && value >= MIN_CONTEXT && value <= MAX_CONTEXT);

const contextOutOfRange = defineCheck({
  kind: "context-out-of-range",
  severity: "error",
  query: `SELECT id, hostId, modelKey, ${CONTEXT_COLUMNS.map(([column]) => `"${column}"`).join(", ")} FROM "Model" WHERE ${CONTEXT_COLUMNS.map(
    ([column]) =>
      `("${column}" IS NOT NULL AND (typeof("${column}") != 'integer' OR "${column}" < ${MIN_CONTEXT} OR "${column}" > ${MAX_CONTEXT}))`,
  ).join(" OR ")}`,
  rowSchema: modelRow.catchall(z.unknown()),
  toProblem: (row, context) =>
    CONTEXT_COLUMNS.filter(([column]) => !isContextInRange(row[column])).map(([column, label]) => ({
      message: `${modelLabel(row, context)}: ${label} ${JSON.stringify(row[column])} is outside ${formatNumber(MIN_CONTEXT)}..${formatNumber(MAX_CONTEXT)}`,
      ids: modelIds(row),
    })),
});

const unprovenLimit = defineCheck({
  kind: "unproven-limit",
  severity: "warning",
  query: `SELECT m.id, m.hostId, m.modelKey, m.loadableLimit, m.declaredContext FROM "Model" m
     WHERE m.loadableLimit > m.declaredContext AND NOT EXISTS (
       SELECT 1 FROM "Probe" p WHERE p.modelId = m.id AND p.outcome = 'pass'
         AND p.contextRequested >= m.loadableLimit AND p.contextApplied >= m.loadableLimit)`,
  rowSchema: modelRow.extend({ loadableLimit: sqliteNumber, declaredContext: sqliteNumber }),
  toProblem: (row, context) => ({
    message: `${modelLabel(row, context)}: loadable limit ${formatNumber(row.loadableLimit)} is above the declared ${formatNumber(row.declaredContext)}, and no passing probe at that size had it applied (imported lmstrix values never record the applied size); test it again`,
    ids: modelIds(row),
  }),
});

const goodNotBelowBad = defineCheck({
  kind: "good-not-below-bad",
  severity: "warning",
  query: `SELECT id, hostId, modelKey, lastGoodContext, lastBadContext FROM "Model"
     WHERE lastGoodContext IS NOT NULL AND lastBadContext IS NOT NULL AND lastGoodContext >= lastBadContext
       AND testStatus != 'testing'`,
  rowSchema: modelRow.extend({ lastGoodContext: sqliteNumber, lastBadContext: sqliteNumber }),
  toProblem: (row, context) => ({
    message: `${modelLabel(row, context)}: last known good ${formatNumber(row.lastGoodContext)} is not below last known bad ${formatNumber(row.lastBadContext)}; one of them is wrong, test it again`,
    ids: modelIds(row),
  }),
});

/** Columns holding one of a zod enum's values: table, column, allowed values, whether NULL is allowed. */
const ENUM_COLUMNS: readonly (readonly [string, string, readonly string[], boolean])[] = [
  ["Model", "testStatus", testStatusSchema.options, false],
  ["Model", "type", modelTypeSchema.options, false],
  ["Run", "status", runStatusSchema.options, false],
  ["Run", "mode", runModeSchema.options, false],
  ["Probe", "kind", probeKindSchema.options, false],
  ["Probe", "outcome", probeOutcomeSchema.options, true],
];

const invalidValues = ENUM_COLUMNS.map(([table, column, values, nullable]) =>
  defineCheck({
    kind: "invalid-value",
    severity: "error",
    query: `SELECT id, "${column}" AS value FROM "${table}" WHERE ${nullable ? `"${column}" IS NOT NULL AND ` : ""}"${column}" NOT IN (${values.map((value) => `'${value}'`).join(", ")}) LIMIT 100`,
    rowSchema: z.object({ id: sqliteNumber, value: z.unknown() }),
    toProblem: (row) => ({
      message: `${table} #${row.id}: ${column} ${JSON.stringify(row.value)} is not one of ${values.join(", ")}`,
      ids: { table, rowIds: [row.id] },
    }),
  }),
);

const staleRunningRun = defineCheck({
  kind: "stale-running-run",
  severity: "warning",
  query: RUNNING_RUNS_SQL,
  rowSchema: runningRunRow,
  toProblem: (run, context) => {
    const why = staleReason(run, context);
    if (why === null) return null;
    return {
      message: `Run #${run.id} on ${context.hostLabel(run.hostId)} is marked running but ${why}; repair marks it interrupted so that it resumes`,
      ids: { hostId: run.hostId, runId: run.id },
      repairable: true,
    };
  },
});

const openProbe = defineCheck({
  kind: "open-probe",
  severity: "info",
  query: `SELECT p.id, p.runId, p.modelId, p.contextRequested, r.status AS runStatus, m.modelKey, m.hostId
     FROM "Probe" p JOIN "Run" r ON r.id = p.runId JOIN "Model" m ON m.id = p.modelId
     WHERE p.outcome IS NULL AND r.status != 'running'`,
  rowSchema: z.object({
    id: sqliteNumber,
    runId: sqliteNumber,
    modelId: sqliteNumber,
    contextRequested: sqliteNumber,
    runStatus: sqliteText,
    modelKey: sqliteText,
    hostId: sqliteNumber,
  }),
  toProblem: (row) => {
    // A probe of a finished run is never taken up again; one of an interrupted or queued run is, on resume.
    const isFinished = isFinishedRunStatus(row.runStatus);
    return {
      severity: isFinished ? "warning" : "info",
      message: `Probe #${row.id} of "${row.modelKey}" at ${formatNumber(row.contextRequested)} in run #${row.runId} (${row.runStatus}) has no outcome; ${
        isFinished ? "repair marks it cancelled" : "it is taken up again when the run resumes"
      }`,
      ids: {
        hostId: row.hostId,
        modelId: row.modelId,
        modelKey: row.modelKey,
        runId: row.runId,
        probeId: row.id,
      },
      repairable: isFinished,
    };
  },
});

/** `"12:running,14:interrupted"` (run id and status of each run holding the model) as a list. */
const holderList = sqliteText.nullable().transform((text) =>
  (text ?? "")
    .split(",")
    .filter(Boolean)
    .map((item) => {
      const [runId, status] = item.split(":");
      return { runId: Number(runId), status };
    }),
);

const orphanTesting = defineCheck({
  kind: "orphan-testing",
  severity: "warning",
  query: `SELECT m.id, m.hostId, m.modelKey,
       (SELECT group_concat(r.id || ':' || r.status) FROM "Probe" p JOIN "Run" r ON r.id = p.runId
         WHERE p.modelId = m.id AND r.status IN ('running', 'interrupted')) AS holders
     FROM "Model" m WHERE m.testStatus = 'testing'`,
  rowSchema: modelRow.extend({ holders: holderList }),
  toProblem: (row, context) => {
    const isStale = (runId: number) => context.staleRunIds.has(runId);
    if (row.holders.some(({ runId, status }) => status === "running" && !isStale(runId))) return null;
    const resuming = row.holders.find(({ runId, status }) => status === "interrupted" || isStale(runId));
    return {
      severity: resuming ? "info" : "warning",
      message: resuming
        ? `${modelLabel(row, context)} is at "testing" for interrupted run #${resuming.runId}, which resumes it`
        : `${modelLabel(row, context)} is stuck at "testing" but no run is testing it; repair sets it back to what its results say`,
      ids: modelIds(row),
      repairable: !resuming,
    };
  },
});

/** The validation checks of the data, in the order their problems are reported. */
export const HEALTH_CHECKS: readonly HealthCheck[] = [
  contextOutOfRange,
  unprovenLimit,
  goodNotBelowBad,
  ...invalidValues,
  staleRunningRun,
  openProbe,
  orphanTesting,
];
