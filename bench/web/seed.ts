/**
 * `pnpm bench:web:seed [--data-dir DIR] [--models 1000] [--hosts 5] [--runs 2000] [--probes 200000]
 * [--events 1000000]`: a fresh LMStrix database for the web benchmark. `openDatabase` creates the file and
 * its schema; the rows go in as multi-row INSERTs through one raw libSQL connection in a few big transactions.
 *
 * Values follow what the app writes: model keys are the emulator's default fleet with suffixes, each run tests a
 * handful of its host's models (a few models much more often than the rest, as when someone re-tests a
 * favourite), probes carry outcomes and timings, and every probe has the events the engine emits for it
 * (`probe.started`, `probe.loadProgress`, `probe.finished`, with payloads shaped like packages/core's).
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { seededRandom } from "@lmstrix/core";
import { openDatabase } from "@lmstrix/db";
import { openRawClient } from "@lmstrix/db/raw";
import { seedHostsAndModels } from "./seed-models";
import { DAY, type SeedContext, type SeedOptions } from "./seed-rows";
import { seedRuns } from "./seed-runs";

export type { SeedOptions } from "./seed-rows";

export interface SeedResult {
  file: string;
  rows: Record<string, number>;
  seconds: number;
  rowsPerSecond: number;
}

/** Prisma (through the libSQL adapter) stores DateTime as this text. */
export { isoTime } from "./seed-rows";

export async function seed(options: SeedOptions): Promise<SeedResult> {
  rmSync(path.join(options.dataDir, "lmstrix.db"), { force: true });
  rmSync(path.join(options.dataDir, "lmstrix.db-wal"), { force: true });
  rmSync(path.join(options.dataDir, "lmstrix.db-shm"), { force: true });
  const db = await openDatabase({ dataDir: options.dataDir });
  await db.close();
  const client = await openRawClient(db.file);
  await client.execute("PRAGMA synchronous = OFF");
  await client.execute("PRAGMA foreign_keys = OFF");
  const random = seededRandom(42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const started = performance.now();
  const now = Date.now();
  const ctx: SeedContext = { client, options, random, pick, now, origin: now - 180 * DAY };

  await client.execute("BEGIN");
  const { hosts, models, modelsByHost, declaredById } = await seedHostsAndModels(ctx);
  const { runs, probes, events } = await seedRuns(ctx, { modelsByHost, declaredById });
  await client.execute("COMMIT");
  await client.execute("ANALYZE");
  await client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
  client.close();
  const seconds = (performance.now() - started) / 1000;
  const rows = {
    Host: hosts.count,
    Model: models.count,
    Run: runs.count,
    Probe: probes.count,
    RunEvent: events.count,
  };
  const total = Object.values(rows).reduce((a, b) => a + b, 0);
  return { file: db.file, rows, seconds, rowsPerSecond: total / seconds };
}

export const DEFAULT_SEED: Omit<SeedOptions, "dataDir"> = {
  hosts: 5,
  models: 1_000,
  runs: 2_000,
  probes: 200_000,
  events: 1_000_000,
};

export const DEFAULT_DATA_DIR = "/tmp/lmstrix-bench-web";

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const { values } = parseArgs({
    options: {
      "data-dir": { type: "string", default: DEFAULT_DATA_DIR },
      hosts: { type: "string", default: String(DEFAULT_SEED.hosts) },
      models: { type: "string", default: String(DEFAULT_SEED.models) },
      runs: { type: "string", default: String(DEFAULT_SEED.runs) },
      probes: { type: "string", default: String(DEFAULT_SEED.probes) },
      events: { type: "string", default: String(DEFAULT_SEED.events) },
    },
  });
  const result = await seed({
    dataDir: path.resolve(values["data-dir"]),
    hosts: Number(values.hosts),
    models: Number(values.models),
    runs: Number(values.runs),
    probes: Number(values.probes),
    events: Number(values.events),
  });
  console.log(
    `Seeded ${result.file}: ${Object.entries(result.rows)
      .map(([table, n]) => `${n.toLocaleString("en")} ${table}`)
      .join(
        ", ",
      )} in ${result.seconds.toFixed(1)} s (${Math.round(result.rowsPerSecond).toLocaleString("en")} rows/s)`,
  );
}
