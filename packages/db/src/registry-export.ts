import { type RegistryTimeZone, stringifyRegistry, toRegistry } from "@lmstrix/core/registry";
import type { Host, PrismaClient, Model as PrismaModel } from "@prisma/client";
import { importRuns, parseExtras } from "./registry-import";

export type ExportFormat = "lmstrix" | "json" | "csv";

export interface ExportOptions {
  format: ExportFormat;
  /** One host; required for `lmstrix` when several hosts have models (the registry describes one machine). */
  hostId?: number;
  /** For `lmstrix`: how `context_test_date` is written (lmstrix wrote local time without a zone). */
  zone?: RegistryTimeZone;
  now?: Date;
}

export class RegistryExportError extends Error {
  override readonly name = "RegistryExportError";

  constructor(
    readonly code: "HOST_NOT_FOUND" | "HOST_REQUIRED",
    message: string,
  ) {
    super(message);
  }
}

/**
 * Exports the data as text:
 * - `lmstrix`: lmstrix.json for one host, readable by the Python tool (see `toRegistry`), with the registry
 *   `path` and the unknown fields of the latest import put back. Importing it again changes nothing.
 * - `json`: the full history, `HistoryExport` (version 1): hosts, models, runs, probes and events.
 * - `csv`: one row per model, `CSV_COLUMNS`, RFC 4180 quoting, CRLF line ends.
 */
export async function exportRegistry(db: { prisma: PrismaClient }, options: ExportOptions): Promise<string> {
  switch (options.format) {
    case "lmstrix":
      return exportLmstrix(db.prisma, options);
    case "json":
      return `${JSON.stringify(await exportHistory(db.prisma, options), null, 2)}\n`;
    case "csv":
      return exportCsv(db.prisma, options);
  }
}

async function selectedHosts(prisma: PrismaClient, hostId: number | undefined): Promise<Host[]> {
  if (hostId === undefined) return prisma.host.findMany({ orderBy: { name: "asc" } });
  const host = await prisma.host.findUnique({ where: { id: hostId } });
  if (!host) throw new RegistryExportError("HOST_NOT_FOUND", `There is no host #${hostId}`);
  return [host];
}

async function exportLmstrix(prisma: PrismaClient, options: ExportOptions): Promise<string> {
  let hosts = await selectedHosts(prisma, options.hostId);
  if (options.hostId === undefined && hosts.length > 1) {
    const withModels = await prisma.model.groupBy({ by: ["hostId"] });
    hosts = hosts.filter((host) => withModels.some((group) => group.hostId === host.id));
    if (hosts.length > 1) {
      throw new RegistryExportError(
        "HOST_REQUIRED",
        `An lmstrix registry describes one machine; choose a host (${hosts.map((host) => host.name).join(", ")})`,
      );
    }
  }
  const host = hosts[0];
  if (!host) return stringifyRegistry(toRegistry([]));
  const models = await prisma.model.findMany({ where: { hostId: host.id }, orderBy: { modelKey: "asc" } });
  const registry = (await importRuns(prisma, host.id)).filter((run) => run.options.registry).at(-1)
    ?.options.registry;
  return stringifyRegistry(
    toRegistry(
      models.map((model) => ({
        modelKey: model.modelKey,
        path: model.path,
        sizeBytes: Number(model.sizeBytes),
        declaredContext: model.declaredContext,
        vision: model.vision,
        toolUse: model.toolUse,
        testStatus: model.testStatus as "untested" | "testing" | "completed" | "failed",
        loadableLimit: model.loadableLimit,
        lastGoodContext: model.lastGoodContext,
        lastBadContext: model.lastBadContext,
        lastTestedAt: model.lastTestedAt,
        errorMessage: model.errorMessage,
        extras: parseExtras(model.extraJson),
      })),
      { rootPath: registry?.path ?? null, extras: registry?.extras ?? null, zone: options.zone },
    ),
  );
}

/**
 * The `json` export. Dates are ISO 8601 strings (UTC), sizes plain numbers (model files are far below 2^53
 * bytes), JSON columns (`optionsJson`, `payloadJson`, `extraJson`) parsed into `options`, `payload`, `extra`.
 */
export interface HistoryExport {
  format: "lmstrix-history";
  version: 1;
  exportedAt: string;
  /** The host the export was limited to, or `null` for all. */
  hostId: number | null;
  hosts: { id: number; name: string; url: string; enabled: boolean; createdAt: string; updatedAt: string }[];
  models: (Omit<PrismaModel, "sizeBytes" | "firstSeenAt" | "lastSeenAt" | "lastTestedAt" | "extraJson"> & {
    sizeBytes: number;
    firstSeenAt: string;
    lastSeenAt: string;
    lastTestedAt: string | null;
    extra: Record<string, unknown> | null;
  })[];
  runs: {
    id: number;
    hostId: number;
    status: string;
    mode: string;
    options: Record<string, unknown>;
    startedBy: string;
    message: string | null;
    createdAt: string;
    startedAt: string | null;
    finishedAt: string | null;
  }[];
  probes: {
    id: number;
    runId: number;
    modelId: number;
    kind: string;
    contextRequested: number;
    contextApplied: number | null;
    previousBadContext: number | null;
    attempts: number;
    outcome: string | null;
    errorCategory: string | null;
    errorMessage: string | null;
    prompt: string | null;
    reply: string | null;
    loadMs: number | null;
    timeToFirstTokenMs: number | null;
    promptTokens: number | null;
    promptTokensPerSec: number | null;
    genTokensPerSec: number | null;
    /** Filled-context probes only (null otherwise). */
    recall: number | null;
    promptTokensSent: number | null;
    isTruncated: boolean | null;
    startedAt: string;
    finishedAt: string | null;
  }[];
  events: { id: number; runId: number; type: string; payload: unknown; createdAt: string }[];
}

const iso = (date: Date) => date.toISOString();
const isoOrNull = (date: Date | null) => (date ? date.toISOString() : null);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function exportHistory(
  prisma: PrismaClient,
  options: { hostId?: number; now?: Date } = {},
): Promise<HistoryExport> {
  const hosts = await selectedHosts(prisma, options.hostId);
  const hostIds = hosts.map((host) => host.id);
  const models = await prisma.model.findMany({ where: { hostId: { in: hostIds } }, orderBy: { id: "asc" } });
  const runs = await prisma.run.findMany({ where: { hostId: { in: hostIds } }, orderBy: { id: "asc" } });
  const runIds = runs.map((run) => run.id);
  const probes = await prisma.probe.findMany({ where: { runId: { in: runIds } }, orderBy: { id: "asc" } });
  const events = await prisma.runEvent.findMany({ where: { runId: { in: runIds } }, orderBy: { id: "asc" } });
  return {
    format: "lmstrix-history",
    version: 1,
    exportedAt: iso(options.now ?? new Date()),
    hostId: options.hostId ?? null,
    hosts: hosts.map((host) => ({
      id: host.id,
      name: host.name,
      url: host.url,
      enabled: host.enabled,
      createdAt: iso(host.createdAt),
      updatedAt: iso(host.updatedAt),
    })),
    models: models.map(({ extraJson, sizeBytes, firstSeenAt, lastSeenAt, lastTestedAt, ...model }) => ({
      ...model,
      sizeBytes: Number(sizeBytes),
      firstSeenAt: iso(firstSeenAt),
      lastSeenAt: iso(lastSeenAt),
      lastTestedAt: isoOrNull(lastTestedAt),
      extra: extraJson ? parseExtras(extraJson) : null,
    })),
    runs: runs.map(({ optionsJson, createdAt, startedAt, finishedAt, ...run }) => ({
      ...run,
      options: parseExtras(optionsJson),
      createdAt: iso(createdAt),
      startedAt: isoOrNull(startedAt),
      finishedAt: isoOrNull(finishedAt),
    })),
    probes: probes.map(({ startedAt, finishedAt, ...probe }) => ({
      ...probe,
      startedAt: iso(startedAt),
      finishedAt: isoOrNull(finishedAt),
    })),
    events: events.map(({ payloadJson, createdAt, ...event }) => ({
      ...event,
      payload: parseJson(payloadJson),
      createdAt: iso(createdAt),
    })),
  };
}

export const CSV_COLUMNS = [
  "host",
  "model_key",
  "display_name",
  "type",
  "size_bytes",
  "declared_context",
  "loadable_limit",
  "effective_limit",
  "last_good_context",
  "last_bad_context",
  "status",
  "last_tested_at",
  "error",
] as const;

async function exportCsv(prisma: PrismaClient, options: ExportOptions): Promise<string> {
  const hosts = await selectedHosts(prisma, options.hostId);
  const names = new Map(hosts.map((host) => [host.id, host.name]));
  const models = await prisma.model.findMany({
    where: { hostId: { in: hosts.map((host) => host.id) } },
    orderBy: [{ hostId: "asc" }, { modelKey: "asc" }],
  });
  models.sort((a, b) => (names.get(a.hostId) ?? "").localeCompare(names.get(b.hostId) ?? "") || 0);
  const lines = [CSV_COLUMNS.join(",")];
  for (const model of models) {
    const error = model.errorMessage ?? model.errorCategory ?? "";
    lines.push(
      [
        text(names.get(model.hostId) ?? ""),
        text(model.modelKey),
        text(model.displayName),
        text(model.type),
        String(model.sizeBytes),
        String(model.declaredContext),
        number(model.loadableLimit),
        number(model.effectiveLimit),
        number(model.lastGoodContext),
        number(model.lastBadContext),
        text(model.testStatus),
        model.lastTestedAt ? model.lastTestedAt.toISOString() : "",
        text(error),
      ].join(","),
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}

const number = (value: number | null) => (value === null ? "" : String(value));

/**
 * One text cell: quoted when it holds a comma, quote, CR or LF (quotes doubled), and prefixed with `'` when it
 * starts with `=`, `+`, `-`, `@`, tab or CR, so a spreadsheet shows it as text instead of running it as a
 * formula (model names and error messages come from other machines).
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const text = csvCell;
