import { type ParsedRegistry, type ParseRegistryOptions, parseRegistry } from "@lmstrix/core/registry";
import { createSnapshot } from "../snapshots/create";
import { DEFAULT_SNAPSHOT_KEEP } from "../snapshots/snapshot-info";
import type { DatabaseHandle } from "../sqlite-raw";
import { plan, summarise } from "./plan";
import { hostNotFound, type ImportRegistryOptions, type ImportResult } from "./types";
import { writeImport } from "./write";

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
      const runId = final.hasChanges ? await writeImport(tx, hostId, parsed, final, now) : null;
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
