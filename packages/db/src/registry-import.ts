import { plural, stableStringify } from "@lmstrix/core";
import {
  IMPORTED_ERROR_CATEGORY,
  type ParsedRegistry,
  type ParseRegistryOptions,
  parseRegistry,
  REGISTRY_KEY_FIELD,
  type RegistryModel,
  type RegistryWarning,
} from "@lmstrix/core/registry";
import type { Prisma, PrismaClient } from "@prisma/client";
import { type ColumnValue, insertRows, type RowUpdate, updateRowsById } from "./bulk-write";
import { pagesById } from "./paged-read";
import { createSnapshot, DEFAULT_SNAPSHOT_KEEP } from "./snapshots";
import type { DatabaseHandle } from "./sqlite-raw";

/** `Run.startedBy` of the run an import records its measurements in. */
export const IMPORT_STARTED_BY = "import";

export type RegistryImportErrorCode = "HOST_NOT_FOUND" | "RUN_IN_PROGRESS";

export class RegistryImportError extends Error {
  override readonly name = "RegistryImportError";

  constructor(
    readonly code: RegistryImportErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * What an import run keeps in `Run.optionsJson` besides the usual run options (which parse with their
 * defaults; `runOptionsSchema` ignores these keys): where the data came from, its hash (to recognise the same
 * file again) and the registry's own top-level `path` and unknown fields, which an export writes back.
 */
export interface ImportRunOptions {
  imported: true;
  source: string | null;
  contentHash: string;
  format: ParsedRegistry["format"];
  registry: { path: string | null; extras: Record<string, unknown> };
  counts: { created: number; updated: number; unchanged: number; probes: number };
}

export type ChangeValue = string | number | boolean | null;

export interface FieldChange {
  field: string;
  from: ChangeValue;
  to: ChangeValue;
}

export interface PlannedProbe {
  outcome: "pass" | "fail";
  contextRequested: number;
  at: Date;
}

export interface ModelImport {
  modelKey: string;
  /** The entry's key in the file. */
  key: string;
  action: "created" | "updated" | "unchanged";
  /** For `updated`: each field with its old and new value. */
  changes: FieldChange[];
  /** History added for it (nothing when the same measurement is already there). */
  probes: PlannedProbe[];
}

export interface ImportResult {
  dryRun: boolean;
  hostId: number;
  source: string | null;
  format: ParsedRegistry["format"];
  contentHash: string;
  created: ModelImport[];
  /** Models whose fields or history change. */
  updated: ModelImport[];
  unchanged: string[];
  probesAdded: number;
  /** The import run recorded (`null` for a dry run or when nothing changed). */
  runId: number | null;
  /** The `before-import` snapshot taken (`null` when nothing changed, for a dry run, or when switched off). */
  snapshot: string | null;
  /** An earlier import run of exactly the same file on this host. */
  previousImportRunId: number | null;
  /** From parsing (skipped entries, resolved statuses). */
  warnings: RegistryWarning[];
}

export interface ImportRegistryOptions {
  /** Work out and return what would change, change nothing. */
  dryRun?: boolean;
  /** Take a `before-import` snapshot first (default true; only when something changes). */
  snapshot?: boolean;
  /** Snapshots to keep after that one (default 10). */
  keep?: number;
  now?: Date;
}

type Client = PrismaClient | Prisma.TransactionClient;

/**
 * Applies a parsed registry to one host, in one transaction (a failure leaves the database as it was), after
 * a `before-import` snapshot. Entries are matched to the host's models by model key.
 *
 * - A model the host does not know is created from the entry, marked as not seen by a scan (`isPresent`
 *   false, first/last seen = now); the next scan fills in what LM Studio reports.
 * - A known model: the scan's facts (path, size, declared context, vision, tools) are kept while it is
 *   present, taken from the entry when it is not. Its test summary (status, loadable limit, last good/bad,
 *   date, error) is taken when the entry's date is newer than the model's last test, or when the model has
 *   no results and the entry has some but no date; LMStrix's own newer measurements are never overwritten,
 *   and a model at `testing` is left alone. Unknown fields are merged into `extraJson`.
 * - The measurements become history: one import run (`startedBy: "import"`, status completed, options as in
 *   `ImportRunOptions`) with, per model, a passing probe at its loadable limit (or last good size) and a
 *   failing one at its last bad size, finished at the entry's date — unless the model's history already has a
 *   probe with that outcome at that size.
 *
 * So importing the same file twice changes nothing the second time (and says which earlier run imported it).
 * Refused while a run of the host is running (a dry run is not: it changes nothing).
 */
export async function importRegistry(
  db: DatabaseHandle,
  hostId: number,
  parsed: ParsedRegistry,
  options: ImportRegistryOptions = {},
): Promise<ImportResult> {
  const now = options.now ?? new Date();
  const dryRun = options.dryRun ?? false;
  const base = {
    dryRun,
    hostId,
    source: parsed.source,
    format: parsed.format,
    contentHash: parsed.contentHash,
    warnings: parsed.warnings,
  };
  const draft = await plan(db.prisma, hostId, parsed, now, !dryRun);
  if (dryRun || !draft.hasChanges) {
    return { ...base, ...summarise(draft), runId: null, snapshot: null };
  }
  const snapshot =
    options.snapshot === false
      ? null
      : (await createSnapshot(db, "before-import", { keep: options.keep ?? DEFAULT_SNAPSHOT_KEEP })).name;
  const done = await db.prisma.$transaction(
    async (tx) => {
      // Write first: it takes the write lock, so nothing changes between this plan and its writes.
      const locked = await tx.$executeRaw`UPDATE "Host" SET "name" = "name" WHERE "id" = ${hostId}`;
      if (locked === 0) throw hostNotFound(hostId);
      const final = await plan(tx, hostId, parsed, now, true);
      const runId = final.hasChanges ? await apply(tx, hostId, parsed, final, now) : null;
      return { final, runId };
    },
    { timeout: 120_000, maxWait: 15_000 },
  );
  return { ...base, ...summarise(done.final), runId: done.runId, snapshot };
}

/** `parseRegistry` then `importRegistry`: a file that does not parse never touches the database. */
export async function importRegistryText(
  db: DatabaseHandle,
  hostId: number,
  text: string,
  options: ImportRegistryOptions & ParseRegistryOptions = {},
): Promise<ImportResult> {
  const parsed = parseRegistry(text, options);
  return importRegistry(db, hostId, parsed, options);
}

/** What planning needs of a model the host already has. */
const KNOWN_MODEL_SELECT = {
  id: true,
  modelKey: true,
  isPresent: true,
  path: true,
  sizeBytes: true,
  declaredContext: true,
  vision: true,
  toolUse: true,
  testStatus: true,
  loadableLimit: true,
  lastGoodContext: true,
  lastBadContext: true,
  lastTestedAt: true,
  errorCategory: true,
  errorMessage: true,
  extraJson: true,
} as const satisfies Prisma.ModelSelect;
type KnownModel = Prisma.ModelGetPayload<{ select: typeof KNOWN_MODEL_SELECT }>;

/** Rows read per query when planning: a host's whole history at once costs memory in libSQL and Prisma. */
const READ_PAGE_ROWS = 5_000;

function pageOf<S extends { id: true }>(select: S, take: number) {
  return { select, orderBy: { id: "asc" as const }, take };
}

interface Plan {
  models: (ModelImport & {
    entry: RegistryModel;
    row: KnownModel | null;
    /** For a known model: column → new value. */
    data: Record<string, ColumnValue>;
  })[];
  hasChanges: boolean;
  metadataChanged: boolean;
  previousImportRunId: number | null;
}

function summarise(
  draft: Plan,
): Omit<
  ImportResult,
  "dryRun" | "hostId" | "source" | "format" | "contentHash" | "warnings" | "runId" | "snapshot"
> {
  const strip = ({ modelKey, key, action, changes, probes }: ModelImport): ModelImport => ({
    modelKey,
    key,
    action,
    changes,
    probes,
  });
  return {
    created: draft.models.filter((item) => item.action === "created").map(strip),
    updated: draft.models.filter((item) => item.action === "updated").map(strip),
    unchanged: draft.models.filter((item) => item.action === "unchanged").map((item) => item.modelKey),
    probesAdded: draft.models.reduce((sum, item) => sum + item.probes.length, 0),
    previousImportRunId: draft.previousImportRunId,
  };
}

const FACT_FIELDS = ["path", "sizeBytes", "declaredContext", "vision", "toolUse"] as const;
const SUMMARY_FIELDS = [
  "testStatus",
  "loadableLimit",
  "lastGoodContext",
  "lastBadContext",
  "lastTestedAt",
  "errorCategory",
  "errorMessage",
] as const;

async function plan(
  client: Client,
  hostId: number,
  parsed: ParsedRegistry,
  now: Date,
  refuseWhileRunning: boolean,
): Promise<Plan> {
  const host = await client.host.findUnique({ where: { id: hostId } });
  if (!host) throw hostNotFound(hostId);
  const running = refuseWhileRunning
    ? await client.run.findFirst({ where: { hostId, status: "running" }, select: { id: true } })
    : null;
  if (running) {
    throw new RegistryImportError(
      "RUN_IN_PROGRESS",
      `Cannot import into host "${host.name}" while run #${running.id} is running on it; wait for it or cancel it`,
    );
  }
  const rows = new Map<string, KnownModel>();
  for await (const page of pagesById(
    (after, take) =>
      client.model.findMany({ where: { hostId, id: { gt: after } }, ...pageOf(KNOWN_MODEL_SELECT, take) }),
    READ_PAGE_ROWS,
  )) {
    for (const row of page) rows.set(row.modelKey, row);
  }
  const passes = new Set<string>();
  const fails = new Set<string>();
  for await (const page of pagesById(
    (after, take) =>
      client.probe.findMany({
        where: { model: { hostId }, id: { gt: after }, outcome: { in: ["pass", "fail", "error"] } },
        ...pageOf({ id: true, modelId: true, contextRequested: true, outcome: true }, take),
      }),
    READ_PAGE_ROWS,
  )) {
    for (const probe of page) {
      (probe.outcome === "pass" ? passes : fails).add(`${probe.modelId}:${probe.contextRequested}`);
    }
  }
  const imports = await importRuns(client, hostId);
  const previousImportRunId =
    imports.find((run) => run.options.contentHash === parsed.contentHash)?.id ?? null;
  const latest = imports.at(-1)?.options.registry;
  const metadataChanged =
    !latest ||
    latest.path !== parsed.rootPath ||
    stableStringify(latest.extras ?? {}) !== stableStringify(parsed.extras);

  const models: Plan["models"] = [];
  for (const { key, model: entry } of parsed.entries) {
    const row = rows.get(entry.modelKey) ?? null;
    const probes = plannedProbes(entry, now).filter((probe) => {
      if (!row) return true;
      const id = `${row.id}:${probe.contextRequested}`;
      return probe.outcome === "pass" ? !passes.has(id) : !fails.has(id);
    });
    if (!row) {
      models.push({
        modelKey: entry.modelKey,
        key,
        action: "created",
        changes: [],
        probes,
        entry,
        row,
        data: {},
      });
      continue;
    }
    const data: Record<string, ColumnValue> = {};
    const changes: FieldChange[] = [];
    const consider = (field: string, from: unknown, to: unknown) => {
      if (sameValue(from, to)) return;
      data[field] = to as ColumnValue;
      changes.push({ field, from: changeValue(from), to: changeValue(to) });
    };
    if (!row.isPresent) {
      for (const field of FACT_FIELDS) {
        consider(field, field === "sizeBytes" ? Number(row.sizeBytes) : row[field], entry[field]);
      }
    }
    if (takesSummary(row, entry)) {
      for (const field of SUMMARY_FIELDS) consider(field, row[field], entry[field]);
    }
    const extras = mergeExtras(row.extraJson, entry, key);
    if (stableStringify(parseExtras(row.extraJson)) !== stableStringify(extras ?? {})) {
      data.extraJson = extras === null ? null : JSON.stringify(extras);
      changes.push({ field: "extraJson", from: row.extraJson, to: data.extraJson as string | null });
    }
    const action = changes.length > 0 || probes.length > 0 ? "updated" : "unchanged";
    models.push({ modelKey: entry.modelKey, key, action, changes, probes, entry, row, data });
  }
  const hasChanges = metadataChanged || models.some((item) => item.action !== "unchanged");
  return { models, hasChanges, metadataChanged, previousImportRunId };
}

/** Newer wins: an entry's results replace the model's only when they are newer, or the model has none. */
function takesSummary(row: KnownModel, entry: RegistryModel): boolean {
  if (row.testStatus === "testing") return false;
  const entryHasResults =
    entry.testStatus !== "untested" ||
    entry.loadableLimit !== null ||
    entry.lastGoodContext !== null ||
    entry.lastBadContext !== null;
  if (!entryHasResults) return false;
  if (entry.lastTestedAt)
    return !row.lastTestedAt || entry.lastTestedAt.getTime() > row.lastTestedAt.getTime();
  const rowHasResults =
    row.testStatus !== "untested" ||
    row.loadableLimit !== null ||
    row.lastGoodContext !== null ||
    row.lastBadContext !== null;
  return !rowHasResults;
}

function plannedProbes(entry: RegistryModel, now: Date): PlannedProbe[] {
  const at = entry.lastTestedAt ?? now;
  const probes: PlannedProbe[] = [];
  const pass = entry.loadableLimit ?? entry.lastGoodContext;
  if (pass !== null) probes.push({ outcome: "pass", contextRequested: pass, at });
  if (entry.lastBadContext !== null && entry.lastBadContext !== pass) {
    probes.push({ outcome: "fail", contextRequested: entry.lastBadContext, at });
  }
  return probes;
}

function mergeExtras(
  current: string | null,
  entry: RegistryModel,
  key: string,
): Record<string, unknown> | null {
  const merged: Record<string, unknown> = { ...parseExtras(current), ...entry.extras };
  if (key === entry.modelKey) delete merged[REGISTRY_KEY_FIELD];
  return Object.keys(merged).length > 0 ? merged : null;
}

/** `Model.extraJson` as an object (`{}` when empty or not an object). */
export function parseExtras(text: string | null): Record<string, unknown> {
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

async function apply(
  tx: Prisma.TransactionClient,
  hostId: number,
  parsed: ParsedRegistry,
  final: Plan,
  now: Date,
): Promise<number> {
  const counts = {
    created: final.models.filter((item) => item.action === "created").length,
    updated: final.models.filter((item) => item.action === "updated").length,
    unchanged: final.models.filter((item) => item.action === "unchanged").length,
    probes: final.models.reduce((sum, item) => sum + item.probes.length, 0),
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
  const created = final.models.filter((item) => item.action === "created");
  // The new rows' ids are the ones above the largest before: only those are read back (not the whole host).
  const lastIdBefore =
    created.length === 0 ? 0 : ((await tx.model.aggregate({ _max: { id: true } }))._max.id ?? 0);
  await insertRows(
    tx,
    "Model",
    MODEL_COLUMNS,
    created.map((item) => newModelRow(hostId, item.entry, item.key, now)),
  );
  const modelIds = new Map(
    created.length === 0
      ? []
      : (
          await tx.model.findMany({
            where: { hostId, id: { gt: lastIdBefore } },
            select: { id: true, modelKey: true },
          })
        ).map((row) => [row.modelKey, row.id] as const),
  );
  const updates: RowUpdate[] = [];
  for (const item of final.models) {
    if (item.row && Object.keys(item.data).length > 0) {
      updates.push({ id: item.row.id, set: item.data });
    }
  }
  await updateRowsById(tx, "Model", updates);
  const probes: ColumnValue[][] = [];
  for (const item of final.models) {
    const modelId = item.row?.id ?? modelIds.get(item.modelKey);
    if (modelId === undefined) continue;
    for (const probe of item.probes) {
      const failed = probe.outcome === "fail";
      const message = failed
        ? (item.entry.errorMessage ?? "lmstrix recorded this size as the last known bad context")
        : null;
      probes.push([
        run.id,
        modelId,
        "loadable",
        probe.contextRequested,
        1,
        probe.outcome,
        failed ? IMPORTED_ERROR_CATEGORY : null,
        message,
        probe.at,
        probe.at,
      ]);
    }
  }
  await insertRows(tx, "Probe", PROBE_COLUMNS, probes);
  await tx.runEvent.create({
    data: {
      runId: run.id,
      type: "log",
      payloadJson: JSON.stringify({ message, source: parsed.source }),
      createdAt: now,
    },
  });
  await tx.runEvent.create({
    data: {
      runId: run.id,
      type: "run.finished",
      payloadJson: JSON.stringify({ status: "completed", message, imported: true }),
      createdAt: now,
    },
  });
  return run.id;
}

const MODEL_COLUMNS = [
  "hostId",
  "modelKey",
  "displayName",
  "type",
  "format",
  "publisher",
  "path",
  "sizeBytes",
  "quantization",
  "params",
  "declaredContext",
  "vision",
  "toolUse",
  "isPresent",
  "firstSeenAt",
  "lastSeenAt",
  "testStatus",
  "loadableLimit",
  "lastGoodContext",
  "lastBadContext",
  "lastTestedAt",
  "errorCategory",
  "errorMessage",
  "extraJson",
] as const;

/** The row (in `MODEL_COLUMNS` order) of a model the host did not know: not seen by a scan yet. */
function newModelRow(hostId: number, entry: RegistryModel, key: string, now: Date): ColumnValue[] {
  const extras = mergeExtras(null, entry, key);
  return [
    hostId,
    entry.modelKey,
    entry.displayName,
    entry.type,
    entry.format,
    entry.publisher,
    entry.path,
    entry.sizeBytes,
    entry.quantization,
    entry.params,
    entry.declaredContext,
    entry.vision,
    entry.toolUse,
    false,
    now,
    now,
    entry.testStatus,
    entry.loadableLimit,
    entry.lastGoodContext,
    entry.lastBadContext,
    entry.lastTestedAt,
    entry.errorCategory,
    entry.errorMessage,
    extras === null ? null : JSON.stringify(extras),
  ];
}

const PROBE_COLUMNS = [
  "runId",
  "modelId",
  "kind",
  "contextRequested",
  "attempts",
  "outcome",
  "errorCategory",
  "errorMessage",
  "startedAt",
  "finishedAt",
] as const;

export interface ImportRun {
  id: number;
  createdAt: Date;
  options: Partial<ImportRunOptions>;
}

/** The host's import runs, oldest first. */
export async function importRuns(client: Client, hostId: number): Promise<ImportRun[]> {
  const runs = await client.run.findMany({
    where: { hostId, startedBy: IMPORT_STARTED_BY },
    orderBy: { id: "asc" },
    select: { id: true, createdAt: true, optionsJson: true },
  });
  return runs.map((run) => ({ id: run.id, createdAt: run.createdAt, options: parseExtras(run.optionsJson) }));
}

function hostNotFound(hostId: number): RegistryImportError {
  return new RegistryImportError("HOST_NOT_FOUND", `There is no host #${hostId} to import into`);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  return a === b;
}

function changeValue(value: unknown): ChangeValue {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "bigint") return Number(value);
  if (value === undefined) return null;
  return value as ChangeValue;
}
