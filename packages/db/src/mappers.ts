import {
  type Host,
  type ModelSummary,
  modelTypeSchema,
  type PayloadOf,
  type ProbeFinish,
  type ProbeRecord,
  probeKindSchema,
  probeOutcomeSchema,
  type RunEventPayload,
  type RunEventRow,
  type RunEventType,
  type RunRecord,
  runModeSchema,
  runOptionsSchema,
  runStatusSchema,
  testStatusSchema,
} from "@lmstrix/core";
import type * as Prisma from "@prisma/client";
import { needlesFromJson, needlesToJson } from "./needles-column";

/** Rows → domain objects. Enum-like text columns are parsed, so a corrupted value fails loudly, not silently. */

export function toHost(row: Prisma.Host): Host {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    enabled: row.enabled,
    lmstudioHome: row.lmstudioHome,
    lmStudioVersion: row.lmStudioVersion,
  };
}

export function toModelSummary(row: Prisma.Model): ModelSummary {
  return {
    id: row.id,
    hostId: row.hostId,
    modelKey: row.modelKey,
    displayName: row.displayName,
    type: modelTypeSchema.parse(row.type),
    format: row.format,
    publisher: row.publisher,
    path: row.path,
    sizeBytes: Number(row.sizeBytes),
    architecture: row.architecture,
    quantization: row.quantization,
    params: row.params,
    declaredContext: row.declaredContext,
    vision: row.vision,
    toolUse: row.toolUse,
    isPresent: row.isPresent,
    firstSeenAt: row.firstSeenAt,
    lastSeenAt: row.lastSeenAt,
    testStatus: testStatusSchema.parse(row.testStatus),
    loadableLimit: row.loadableLimit,
    effectiveLimit: row.effectiveLimit,
    effectiveThreshold: row.effectiveThreshold,
    lastGoodContext: row.lastGoodContext,
    lastBadContext: row.lastBadContext,
    lastTestedAt: row.lastTestedAt,
    errorCategory: row.errorCategory,
    errorMessage: row.errorMessage,
    modifiedAt: row.modifiedAt,
    measuredLmStudioVersion: row.measuredLmStudioVersion,
    measuredSizeBytes: row.measuredSizeBytes,
    measuredModifiedAt: row.measuredModifiedAt,
  };
}

export function toRunRecord(row: Prisma.Run): RunRecord {
  return {
    id: row.id,
    hostId: row.hostId,
    status: runStatusSchema.parse(row.status),
    mode: runModeSchema.parse(row.mode),
    options: runOptionsSchema.parse(JSON.parse(row.optionsJson)),
    startedBy: row.startedBy,
    message: row.message,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    lmStudioVersion: row.lmStudioVersion,
  };
}

export function toProbeRecord(row: Prisma.Probe): ProbeRecord {
  return {
    id: row.id,
    runId: row.runId,
    modelId: row.modelId,
    kind: probeKindSchema.parse(row.kind),
    contextRequested: row.contextRequested,
    contextApplied: row.contextApplied,
    previousBadContext: row.previousBadContext,
    requiredBytes: row.requiredBytes,
    failedKvCacheBytes: row.failedKvCacheBytes,
    attempts: row.attempts,
    outcome: row.outcome === null ? null : probeOutcomeSchema.parse(row.outcome),
    errorCategory: row.errorCategory,
    errorMessage: row.errorMessage,
    prompt: row.prompt,
    expectedAnswer: row.expectedAnswer,
    reply: row.reply,
    loadMs: row.loadMs,
    timeToFirstTokenMs: row.timeToFirstTokenMs,
    promptTokens: row.promptTokens,
    promptTokensPerSec: row.promptTokensPerSec,
    genTokensPerSec: row.genTokensPerSec,
    recall: row.recall,
    promptTokensSent: row.promptTokensSent,
    isTruncated: row.isTruncated,
    needles: needlesFromJson(row.needlesJson),
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

/** The columns a finished probe writes. A probe run again (after a lost host) keeps no figure from its earlier attempt. */
export function probeFinishData({ needles, ...result }: ProbeFinish) {
  return {
    ...result,
    requiredBytes: result.requiredBytes ?? null,
    failedKvCacheBytes: result.failedKvCacheBytes ?? null,
    recall: result.recall ?? null,
    promptTokensSent: result.promptTokensSent ?? null,
    isTruncated: result.isTruncated ?? null,
    needlesJson: needlesToJson(needles),
    expectedAnswer: result.expectedAnswer ?? null,
  };
}

/**
 * An event row as stored. Unlike the columns above, its type and payload are not checked here: readers type
 * it with `parseRunEvent` and pass over a row that does not fit, so one odd row (an older database, a
 * hand-edited one) cannot stop a viewer from reading the rest of a run.
 */
export function toRunEventRow(
  row: Pick<Prisma.RunEvent, "id" | "runId" | "type" | "payloadJson" | "createdAt">,
): RunEventRow {
  return {
    id: row.id,
    runId: row.runId,
    type: row.type,
    payload: payloadFromJson(row.payloadJson),
    createdAt: row.createdAt,
  };
}

function payloadFromJson(json: string): RunEventPayload {
  try {
    const payload: unknown = JSON.parse(json);
    return typeof payload === "object" && payload !== null && !Array.isArray(payload)
      ? (payload as RunEventPayload)
      : {};
  } catch {
    return {};
  }
}

/** The `payloadJson` column of an event of `type`, for the writers that insert event rows themselves. */
export function eventPayloadJson<T extends RunEventType>(_type: T, payload: PayloadOf<T>): string {
  return JSON.stringify(payload);
}
