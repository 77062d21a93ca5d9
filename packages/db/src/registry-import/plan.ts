import { stableStringify } from "@lmstrix/core";
import type { ParsedRegistry, RegistryModel } from "@lmstrix/core/registry";
import type { Prisma, PrismaClient } from "@prisma/client";
import type { ColumnValue } from "../bulk-write";
import { pagesById } from "../paged-read";
import { diffKnownModel, KNOWN_MODEL_SELECT, type KnownModel } from "./field-diff";
import { importRuns, plannedProbes } from "./history";
import {
  hostNotFound,
  type ImportResult,
  type ModelImport,
  type PlannedProbe,
  RegistryImportError,
} from "./types";

type Client = PrismaClient | Prisma.TransactionClient;

export interface PlannedModel extends ModelImport {
  entry: RegistryModel;
  row: KnownModel | null;
  /** For a known model: column → new value. */
  data: Record<string, ColumnValue>;
}

export interface Plan {
  models: PlannedModel[];
  hasChanges: boolean;
  metadataChanged: boolean;
  previousImportRunId: number | null;
}

/** Rows read per query when planning: a host's whole history at once costs memory in libSQL and Prisma. */
const READ_PAGE_ROWS = 5_000;

function pageOf<S extends { id: true }>(select: S, take: number) {
  return { select, orderBy: { id: "asc" as const }, take };
}

/** What importing `parsed` into the host would change, read from `client` (a transaction, when writing). */
export async function plan(
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
  const rows = await knownModels(client, hostId);
  const isMeasured = await measuredSizes(client, hostId);
  const imports = await importRuns(client, hostId);
  const previousImportRunId =
    imports.find((run) => run.options.contentHash === parsed.contentHash)?.id ?? null;
  const latest = imports.at(-1)?.options.registry;
  const metadataChanged =
    !latest ||
    latest.path !== parsed.rootPath ||
    stableStringify(latest.extras ?? {}) !== stableStringify(parsed.extras);

  const models = parsed.entries.map(({ key, model: entry }): PlannedModel => {
    const row = rows.get(entry.modelKey) ?? null;
    // History the model already has (the same outcome at the same size) is not added again.
    const probes = plannedProbes(entry, now).filter((probe) => !row || !isMeasured(row.id, probe));
    if (!row) {
      return { modelKey: entry.modelKey, key, action: "created", changes: [], probes, entry, row, data: {} };
    }
    const { data, changes } = diffKnownModel(row, entry, key);
    const action = changes.length > 0 || probes.length > 0 ? "updated" : "unchanged";
    return { modelKey: entry.modelKey, key, action, changes, probes, entry, row, data };
  });
  const hasChanges = metadataChanged || models.some((item) => item.action !== "unchanged");
  return { models, hasChanges, metadataChanged, previousImportRunId };
}

async function knownModels(client: Client, hostId: number): Promise<Map<string, KnownModel>> {
  const rows = new Map<string, KnownModel>();
  for await (const page of pagesById(
    (after, take) =>
      client.model.findMany({ where: { hostId, id: { gt: after } }, ...pageOf(KNOWN_MODEL_SELECT, take) }),
    READ_PAGE_ROWS,
  )) {
    for (const row of page) rows.set(row.modelKey, row);
  }
  return rows;
}

/** Whether a model of the host has a probe with that outcome (an error counts as a fail) at that size. */
async function measuredSizes(
  client: Client,
  hostId: number,
): Promise<(modelId: number, probe: PlannedProbe) => boolean> {
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
  return (modelId, probe) =>
    (probe.outcome === "pass" ? passes : fails).has(`${modelId}:${probe.contextRequested}`);
}

/** The plan as `importRegistry` reports it. */
export function summarise(
  draft: Plan,
): Pick<ImportResult, "created" | "updated" | "unchanged" | "probesAdded" | "previousImportRunId"> {
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
