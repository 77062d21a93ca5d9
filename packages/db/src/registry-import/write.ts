import { plural } from "@lmstrix/core";
import { IMPORTED_ERROR_CATEGORY, type ParsedRegistry, type RegistryModel } from "@lmstrix/core/registry";
import type { Prisma } from "@prisma/client";
import { type ColumnValue, insertRows, updateRowsById } from "../bulk-write";
import { eventPayloadJson } from "../mappers";
import { mergeExtras } from "./field-diff";
import { type Plan, type PlannedModel, summarise } from "./plan";
import { IMPORT_STARTED_BY, type ImportRunOptions } from "./types";

/**
 * Writes a plan inside the caller's transaction: the import run with its two events, the new models, the
 * changed fields and the history. Returns the run's id.
 */
export async function writeImport(
  tx: Prisma.TransactionClient,
  hostId: number,
  parsed: ParsedRegistry,
  final: Plan,
  now: Date,
): Promise<number> {
  const summary = summarise(final);
  const counts = {
    created: summary.created.length,
    updated: summary.updated.length,
    unchanged: summary.unchanged.length,
    probes: summary.probesAdded,
  };
  const options: ImportRunOptions = {
    imported: true,
    source: parsed.source,
    contentHash: parsed.contentHash,
    format: parsed.format,
    registry: { path: parsed.rootPath, extras: parsed.extras },
    counts,
  };
  const message = `Imported from ${parsed.source ?? "an lmstrix registry"}: ${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged, ${plural(counts.probes, "measurement")}`;
  const run = await tx.run.create({
    data: {
      hostId,
      status: "completed",
      mode: "all",
      optionsJson: JSON.stringify(options),
      startedBy: IMPORT_STARTED_BY,
      message,
      createdAt: now,
      startedAt: now,
      finishedAt: now,
    },
  });
  // Every write is batched (`ROWS_PER_STATEMENT` rows a statement), not one Prisma round trip per model or
  // probe: a 50,000-model registry took minutes and gigabytes of native memory that way.
  const createdIds = await insertNewModels(tx, hostId, final, now);
  await updateRowsById(
    tx,
    "Model",
    final.models.flatMap((item) =>
      item.row && Object.keys(item.data).length > 0 ? [{ id: item.row.id, set: item.data }] : [],
    ),
  );
  await insertRows(
    tx,
    "Probe",
    final.models.flatMap((item) => {
      const modelId = item.row?.id ?? createdIds.get(item.modelKey);
      return modelId === undefined ? [] : probeRows(run.id, modelId, item);
    }),
  );
  await tx.runEvent.create({
    data: {
      runId: run.id,
      type: "log",
      payloadJson: eventPayloadJson("log", { message, source: parsed.source }),
      createdAt: now,
    },
  });
  await tx.runEvent.create({
    data: {
      runId: run.id,
      type: "run.finished",
      payloadJson: eventPayloadJson("run.finished", { status: "completed", message, imported: true }),
      createdAt: now,
    },
  });
  return run.id;
}

/** Inserts the models the host did not know; returns their ids by model key. */
async function insertNewModels(
  tx: Prisma.TransactionClient,
  hostId: number,
  final: Plan,
  now: Date,
): Promise<Map<string, number>> {
  const created = final.models.filter((item) => item.action === "created");
  if (created.length === 0) return new Map();
  // The new rows' ids are the ones above the largest before: only those are read back (not the whole host).
  const lastIdBefore = (await tx.model.aggregate({ _max: { id: true } }))._max.id ?? 0;
  await insertRows(
    tx,
    "Model",
    created.map((item) => newModelRow(hostId, item.entry, item.key, now)),
  );
  const rows = await tx.model.findMany({
    where: { hostId, id: { gt: lastIdBefore } },
    select: { id: true, modelKey: true },
  });
  return new Map(rows.map((row) => [row.modelKey, row.id] as const));
}

/** The row of a model the host did not know: not seen by a scan yet. */
function newModelRow(
  hostId: number,
  entry: RegistryModel,
  key: string,
  now: Date,
): Record<string, ColumnValue> {
  const extras = mergeExtras(null, entry, key);
  return {
    hostId,
    modelKey: entry.modelKey,
    displayName: entry.displayName,
    type: entry.type,
    format: entry.format,
    publisher: entry.publisher,
    path: entry.path,
    sizeBytes: entry.sizeBytes,
    quantization: entry.quantization,
    params: entry.params,
    declaredContext: entry.declaredContext,
    vision: entry.vision,
    toolUse: entry.toolUse,
    isPresent: false,
    firstSeenAt: now,
    lastSeenAt: now,
    testStatus: entry.testStatus,
    loadableLimit: entry.loadableLimit,
    lastGoodContext: entry.lastGoodContext,
    lastBadContext: entry.lastBadContext,
    lastTestedAt: entry.lastTestedAt,
    errorCategory: entry.errorCategory,
    errorMessage: entry.errorMessage,
    extraJson: extras === null ? null : JSON.stringify(extras),
  };
}

/** The history rows of one model: loadable probes, finished at the entry's date. */
function probeRows(runId: number, modelId: number, item: PlannedModel): Record<string, ColumnValue>[] {
  return item.probes.map((probe) => {
    const failed = probe.outcome === "fail";
    return {
      runId,
      modelId,
      kind: "loadable",
      contextRequested: probe.contextRequested,
      attempts: 1,
      outcome: probe.outcome,
      errorCategory: failed ? IMPORTED_ERROR_CATEGORY : null,
      errorMessage: failed
        ? (item.entry.errorMessage ?? "lmstrix recorded this size as the last known bad context")
        : null,
      startedAt: probe.at,
      finishedAt: probe.at,
    };
  });
}
