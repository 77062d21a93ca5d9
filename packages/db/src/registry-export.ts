import { LmstrixError } from "@lmstrix/core";
import { type RegistryTimeZone, stringifyRegistry, toRegistry } from "@lmstrix/core/registry";
import type { Host, PrismaClient } from "@prisma/client";
import { type HistoryTally, streamHistory } from "./history-export";
import { parseExtras } from "./registry-import/field-diff";
import { importRuns } from "./registry-import/history";

export type ExportFormat = "lmstrix" | "json" | "csv";

export interface ExportOptions {
  format: ExportFormat;
  /** One host; required for `lmstrix` when several hosts have models (the registry describes one machine). */
  hostId?: number;
  /** For `lmstrix`: how `context_test_date` is written (lmstrix wrote local time without a zone). */
  zone?: RegistryTimeZone;
  now?: Date;
  /** For `json`: filled in with the number of rows of each list as they are written. */
  tally?: HistoryTally;
}

export class RegistryExportError extends LmstrixError<"HOST_NOT_FOUND" | "HOST_REQUIRED"> {
  override readonly name = "RegistryExportError";
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
    case "json": {
      let text = "";
      for await (const chunk of await exportStream(db, options)) text += chunk;
      return text;
    }
    case "csv":
      return exportCsv(db.prisma, options);
  }
}

/**
 * The same export as chunks of text, for a download or a file: the full history (`json`) can be hundreds of
 * megabytes and is read a page at a time; the other formats are one chunk. Errors about the choice of host
 * are thrown here, before the first chunk, so a caller can still answer with an error.
 */
export async function exportStream(
  db: { prisma: PrismaClient },
  options: ExportOptions,
): Promise<AsyncIterable<string>> {
  if (options.format !== "json") {
    const text = await exportRegistry(db, options);
    return (async function* () {
      yield text;
    })();
  }
  const hosts = await selectedHosts(db.prisma, options.hostId);
  return streamHistory(db.prisma, hosts, options);
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
