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
import { openRawClient, toSqliteDateTime } from "@lmstrix/db/raw";
import { defaultFleet } from "@lmstrix/lmstudio-emulator";

export interface SeedOptions {
  dataDir: string;
  hosts: number;
  models: number;
  runs: number;
  probes: number;
  events: number;
}

export interface SeedResult {
  file: string;
  rows: Record<string, number>;
  seconds: number;
  rowsPerSecond: number;
}

type Client = Awaited<ReturnType<typeof openRawClient>>;
type Value = string | number | null;

const DAY = 86_400_000;

/** Prisma (through the libSQL adapter) stores DateTime as this text. */
export const isoTime = (ms: number): string => toSqliteDateTime(new Date(ms));

/** Inserts rows as multi-row INSERTs (under SQLite's 32,766 bound-parameter limit), in one transaction. */
class Inserter {
  private rows: Value[][] = [];
  private readonly perStatement: number;
  count = 0;

  constructor(
    private readonly client: Client,
    private readonly table: string,
    private readonly columns: string[],
  ) {
    this.perStatement = Math.floor(30_000 / columns.length);
  }

  async add(row: Value[]) {
    this.rows.push(row);
    this.count++;
    if (this.rows.length >= this.perStatement) await this.flush();
  }

  async flush() {
    if (this.rows.length === 0) return;
    const one = `(${this.columns.map(() => "?").join(",")})`;
    const sql = `INSERT INTO "${this.table}" (${this.columns.map((c) => `"${c}"`).join(",")}) VALUES ${this.rows
      .map(() => one)
      .join(",")}`;
    await this.client.execute({ sql, args: this.rows.flat() });
    this.rows = [];
  }
}

const HOST_NAMES = ["mac-studio", "rtx4090-box", "mbp-m3-max", "lab-server", "mini-pc"];
const ERRORS = [
  ["out_of_memory", "Failed to load model: insufficient system resources (requires 18.2 GB)"],
  ["load_failed", "Error loading model. (Exit code: 6). Unknown error."],
  ["timeout", "No reply within 600 s"],
] as const;
const REPLY =
  "The capital of France is Paris. Here is a short answer to confirm the model is working with the requested context length.";
const PROMPT =
  "You are a test harness. Reply with one short sentence naming the capital of France, then stop. Do not add anything else to your answer. ".repeat(
    2,
  );

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
  const origin = now - 180 * DAY;

  await client.execute("BEGIN");
  // Hosts.
  const hosts = new Inserter(client, "Host", ["id", "name", "url", "enabled", "createdAt", "updatedAt"]);
  for (let h = 1; h <= options.hosts; h++) {
    const name = HOST_NAMES[h - 1] ?? `host-${h}`;
    await hosts.add([h, name, `http://127.0.0.1:${1233 + h}`, 1, isoTime(origin), isoTime(origin)]);
  }
  await hosts.flush();

  // Models: the default fleet's keys, with suffixes once a host has used each key.
  const fleet = defaultFleet.models;
  const modelCols = [
    "id",
    "hostId",
    "modelKey",
    "displayName",
    "type",
    "format",
    "publisher",
    "path",
    "sizeBytes",
    "architecture",
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
    "effectiveLimit",
    "lastGoodContext",
    "lastBadContext",
    "lastTestedAt",
    "errorCategory",
    "errorMessage",
  ];
  const models = new Inserter(client, "Model", modelCols);
  const modelsByHost: number[][] = Array.from({ length: options.hosts }, () => []);
  const declaredById = new Map<number, number>();
  for (let m = 1; m <= options.models; m++) {
    const hostId = ((m - 1) % options.hosts) + 1;
    const index = Math.floor((m - 1) / options.hosts);
    const spec = fleet[index % fleet.length];
    if (!spec) throw new Error("empty fleet");
    const round = Math.floor(index / fleet.length);
    const key =
      round === 0
        ? spec.modelKey
        : `${spec.modelKey}-${["v2", "ft", "abliterated", "q6"][round % 4]}${round}`;
    const declared = spec.maxContextLength;
    const limit = Math.min(declared, Math.round(declared * (0.3 + random() * 0.7)));
    const status = random() < 0.85 ? "completed" : random() < 0.5 ? "failed" : "untested";
    const tested = status !== "untested";
    const error = status === "failed" ? pick(ERRORS) : null;
    declaredById.set(m, declared);
    modelsByHost[hostId - 1]?.push(m);
    await models.add([
      m,
      hostId,
      key,
      `${spec.displayName}${round ? ` (${round})` : ""}`,
      spec.type,
      "gguf",
      spec.publisher ?? null,
      spec.path,
      spec.sizeBytes,
      spec.architecture ?? null,
      spec.quantization?.name ?? null,
      spec.paramsString ?? null,
      declared,
      spec.vision ? 1 : 0,
      spec.trainedForToolUse ? 1 : 0,
      1,
      isoTime(origin),
      isoTime(now - DAY),
      status,
      tested && !error ? limit : null,
      tested && !error ? limit - Math.floor(random() * 200) : null,
      tested && !error ? limit : null,
      tested && limit < declared ? limit + 1024 : null,
      tested ? isoTime(now - Math.floor(random() * 30 * DAY)) : null,
      error?.[0] ?? null,
      error?.[1] ?? null,
    ]);
  }
  await models.flush();

  // Hot models: 20 % of all probes go to 10 models, the rest spread evenly.
  const hotModelIds = Array.from({ length: Math.min(10, options.models) }, (_, i) => i * options.hosts + 1);

  const runs = new Inserter(client, "Run", [
    "id",
    "hostId",
    "status",
    "mode",
    "optionsJson",
    "startedBy",
    "message",
    "createdAt",
    "startedAt",
    "finishedAt",
  ]);
  const probeCols = [
    "id",
    "runId",
    "modelId",
    "contextRequested",
    "contextApplied",
    "attempts",
    "kind",
    "outcome",
    "errorCategory",
    "errorMessage",
    "prompt",
    "reply",
    "loadMs",
    "timeToFirstTokenMs",
    "promptTokens",
    "promptTokensPerSec",
    "genTokensPerSec",
    "startedAt",
    "finishedAt",
  ];
  const probes = new Inserter(client, "Probe", probeCols);
  const events = new Inserter(client, "RunEvent", ["id", "runId", "type", "payloadJson", "createdAt"]);
  let probeId = 0;
  let eventId = 0;
  const span = now - DAY - origin;
  for (let r = 1; r <= options.runs; r++) {
    const runProbes =
      Math.floor((options.probes * r) / options.runs) - Math.floor((options.probes * (r - 1)) / options.runs);
    const runEvents =
      Math.floor((options.events * r) / options.runs) - Math.floor((options.events * (r - 1)) / options.runs);
    const hotRun = r % 5 === 0;
    const hostId = hotRun ? 1 : ((r - 1) % options.hosts) + 1;
    const hostModels = modelsByHost[hostId - 1] ?? [];
    const perModel = 10;
    const runModels = hotRun
      ? [hotModelIds[Math.floor(r / 5) % hotModelIds.length] as number]
      : Array.from({ length: Math.ceil(runProbes / perModel) }, () => pick(hostModels));
    const createdMs = origin + Math.floor((span * (r - 1)) / options.runs);
    const status = random() < 0.9 ? "completed" : pick(["failed", "cancelled"]);
    const mode = runModels.length > 1 ? "all" : "single";
    let t = createdMs + 2_000;
    const eventRows: [string, string, number][] = [];
    const emit = (type: string, payload: Record<string, unknown>) =>
      eventRows.push([type, JSON.stringify(payload), t]);
    emit("run.queued", { mode, modelKeys: mode === "single" ? [`model-${runModels[0]}`] : [] });
    emit("run.started", { holder: `web:${hostId}:4242` });
    for (let p = 0; p < runProbes; p++) {
      const modelId =
        runModels[Math.floor(p / (runModels.length === 1 ? runProbes : perModel))] ?? hostModels[0] ?? 1;
      const modelKey = `model-${modelId}`;
      const declared = declaredById.get(modelId) ?? 32_768;
      if (p % perModel === 0) emit("model.started", { modelKey, declared });
      const context = Math.max(2048, Math.round(declared / 2 ** (p % perModel)) - Math.floor(random() * 512));
      const roll = random();
      const outcome = roll < 0.7 ? "pass" : roll < 0.93 ? "fail" : roll < 0.99 ? "error" : "cancelled";
      const error = outcome === "pass" ? null : pick(ERRORS);
      const loadMs = 1500 + Math.floor(random() * 25_000);
      const startedAt = t;
      t += loadMs + 800 + Math.floor(random() * 4000);
      probeId++;
      const gen = outcome === "pass" ? Math.round((10 + random() * 80) * 10) / 10 : null;
      await probes.add([
        probeId,
        r,
        modelId,
        context,
        outcome === "pass" ? context : null,
        1,
        p % perModel === perModel - 1 ? "effective" : "loadable",
        outcome,
        error?.[0] ?? null,
        error?.[1] ?? null,
        PROMPT,
        outcome === "pass" ? REPLY : null,
        loadMs,
        outcome === "pass" ? 200 + Math.floor(random() * 3000) : null,
        outcome === "pass" ? 40 + Math.floor(random() * 20) : null,
        outcome === "pass" ? Math.round(random() * 2000) : null,
        gen,
        isoTime(startedAt),
        isoTime(t),
      ]);
      emit("probe.started", { probeId, modelKey, context });
      emit("probe.finished", {
        probeId,
        modelKey,
        context,
        applied: outcome === "pass" ? context : null,
        outcome,
        errorCategory: error?.[0] ?? null,
        errorMessage: error?.[1] ?? null,
        reply: outcome === "pass" ? REPLY : null,
        loadMs,
        genTokensPerSec: gen,
      });
      if (p % perModel === perModel - 1 || p === runProbes - 1) {
        emit("model.finished", {
          modelKey,
          status: "completed",
          limit: context,
          declared,
          reason: "bracketed to within 1 % of the limit",
          errorCategory: null,
        });
      }
    }
    // The rest of the run's events are load progress (ten steps a load) and the odd warning or log.
    const fixed = eventRows.length + 1;
    const progress: [string, string, number][] = [];
    for (let i = 0; i < runEvents - fixed; i++) {
      if (i % 25 === 24) {
        progress.push([
          "warning",
          JSON.stringify({
            modelKey: "model-1",
            context: 65_536,
            level: "medium",
            message: "65,536 is 92% of the last known bad size 71,200",
          }),
          createdMs,
        ]);
      } else {
        progress.push([
          "probe.loadProgress",
          JSON.stringify({
            probeId: probeId - (i % Math.max(1, runProbes)),
            modelKey: "model-1",
            progress: (i % 10) / 10,
          }),
          createdMs,
        ]);
      }
    }
    // Interleave: progress events after each probe.started, in order.
    const all: [string, string, number][] = [];
    const perStart = Math.ceil(progress.length / Math.max(1, runProbes));
    let k = 0;
    for (const row of eventRows) {
      all.push(row);
      if (row[0] === "probe.started") {
        for (let j = 0; j < perStart && k < progress.length; j++, k++) {
          const next = progress[k] as [string, string, number];
          all.push([next[0], next[1], row[2] + 100 * (j + 1)]);
        }
      }
    }
    while (k < progress.length) all.push(progress[k++] as [string, string, number]);
    all.push([
      "run.finished",
      JSON.stringify({ status, message: status === "completed" ? null : "Stopped" }),
      t,
    ]);
    for (const [type, payload, at] of all) {
      eventId++;
      await events.add([eventId, r, type, payload, isoTime(at)]);
    }
    await runs.add([
      r,
      hostId,
      status,
      mode,
      JSON.stringify({ modelKeys: [] }),
      r % 3 === 0 ? "cli" : "web",
      status === "completed" ? null : "Stopped",
      isoTime(createdMs),
      isoTime(createdMs + 1000),
      isoTime(t),
    ]);
    // Runs must exist before their probes and events (foreign keys are off here, but keep the order honest).
    if (r % 200 === 0) {
      await runs.flush();
      await probes.flush();
      await events.flush();
      await client.execute("COMMIT");
      await client.execute("BEGIN");
    }
  }
  await runs.flush();
  await probes.flush();
  await events.flush();
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
