/**
 * `pnpm bench:web [--soak-minutes 10] [--clients 50] [--page-rate 10] [--data-dir DIR] [--no-seed] [--port N]
 * [--matrix-only]`:
 * the dashboard's server under a large database (see seed.ts). The script builds apps/web first.
 *
 * Seeds the database, starts the built server (`apps/web/scripts/serve.ts`, as `pnpm start` and the e2e tests
 * do) on 127.0.0.1, then measures with plain `fetch` on loopback:
 *  - latency (request sent → last byte read, on loopback, so it is server time plus a few tenths of a ms) of
 *    `model.list`, `model.get` (a model's history) and a run's events after an id (`run.onEvents` with a
 *    `lastEventId` inside a finished run: request → first event, and → end of the stream);
 *  - the delay of live events: while `--clients` SSE clients follow a running run, this process appends an event
 *    every 100 ms straight into the database (as the CLI would), stamped with the time of the write; each client
 *    records arrival − write;
 *  - the server's memory (VmRSS from /proc) every 10 s during a soak of `--soak-minutes` with those clients
 *    plus `--page-rate` page requests a second (model list, model pages, run list, and their HTML).
 *  - the matrix (`matrix.get`, `/matrix`, `matrix.fit`) on a database of its own, 1,000 models × 5 hosts
 *    (bench-matrix.ts); `--matrix-only` measures only that.
 * Prints Markdown tables for docs/benchmarks.md.
 */
import { existsSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { openRawClient } from "@lmstrix/db/raw";
import { benchMatrix } from "./bench-matrix";
import { largest, ms, percentile, readSse, timed } from "./measure";
import { DEFAULT_DATA_DIR, DEFAULT_SEED, isoTime, seed } from "./seed";
import { serverRssMb, startServer, stopServer } from "./server-process";

const { values } = parseArgs({
  options: {
    "soak-minutes": { type: "string", default: "10" },
    clients: { type: "string", default: "50" },
    "page-rate": { type: "string", default: "10" },
    "data-dir": { type: "string", default: DEFAULT_DATA_DIR },
    "no-seed": { type: "boolean", default: false },
    "matrix-only": { type: "boolean", default: false },
    port: { type: "string", default: "3917" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log(
    "Usage: pnpm bench:web [--soak-minutes 10] [--clients 50] [--page-rate 10] [--data-dir DIR] [--no-seed] [--port N] [--matrix-only]",
  );
  process.exit(0);
}

const root = path.resolve(import.meta.dirname, "../..");
const dataDir = path.resolve(values["data-dir"]);
const port = Number(values.port);
const base = `http://127.0.0.1:${port}`;
const soakMs = Number(values["soak-minutes"]) * 60_000;
const clientCount = Number(values.clients);
const pageRate = Number(values["page-rate"]);

function trpcUrl(procedure: string, input?: unknown): string {
  return input === undefined
    ? `${base}/api/trpc/${procedure}`
    : `${base}/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
}

async function main() {
  console.log(
    `Machine: ${cpus().length} cores (${cpus()[0]?.model}), ${Math.round(totalmem() / 1024 ** 3)} GiB`,
  );
  if (!values["no-seed"] || !existsSync(path.join(dataDir, "lmstrix.db"))) {
    const result = await seed({ dataDir, ...DEFAULT_SEED });
    console.log(
      `Seed: ${Object.entries(result.rows)
        .map(([table, n]) => `${n.toLocaleString("en")} ${table}`)
        .join(
          ", ",
        )} in ${result.seconds.toFixed(1)} s (${Math.round(result.rowsPerSecond).toLocaleString("en")} rows/s)`,
    );
  }
  const raw = await openRawClient(path.join(dataDir, "lmstrix.db"));
  const probeCounts = (
    await raw.execute('SELECT modelId, COUNT(*) AS n FROM "Probe" GROUP BY modelId ORDER BY n DESC')
  ).rows.map((row) => ({ id: Number(row.modelId), n: Number(row.n) }));
  const hot = probeCounts.slice(0, 10);
  const typical = probeCounts.slice(
    Math.floor(probeCounts.length / 2) - 100,
    Math.floor(probeCounts.length / 2) + 100,
  );
  const runRanges = (
    await raw.execute(
      // The seeded runs (≤ 500 events each), not the live runs earlier soaks left in a reused database.
      `SELECT runId, MIN(id) AS lo, MAX(id) AS hi FROM "RunEvent" WHERE runId % 10 = 3
         AND runId IN (SELECT id FROM "Run" WHERE startedBy <> 'bench') GROUP BY runId`,
    )
  ).rows.map((row) => ({ runId: Number(row.runId), lo: Number(row.lo), hi: Number(row.hi) }));

  const server = await startServer(root, dataDir, port);
  const pid = server.pid as number;
  const cleanup = () => stopServer(server);
  process.on("exit", cleanup);
  process.on("SIGINT", () => process.exit(130));
  try {
    console.log(`Server up (pid ${pid}), RSS ${serverRssMb(pid).server.toFixed(0)} MB`);

    // Warm-up: first requests compile/load routes and fill caches.
    for (let i = 0; i < 10; i++) {
      await timed(trpcUrl("model.list"));
      await timed(trpcUrl("model.get", { id: (hot[0] ?? { id: 1 }).id }));
    }

    // 1. Latency, one request at a time.
    const list: number[] = [];
    let listBytes = 0;
    for (let i = 0; i < 100; i++) {
      const r = await timed(trpcUrl("model.list"));
      list.push(r.ms);
      listBytes = r.bytes;
    }
    const historyTypical: number[] = [];
    const historyHot: number[] = [];
    let typicalBytes = 0;
    let hotBytes = 0;
    for (let i = 0; i < 200; i++) {
      const model = typical[i % typical.length] as { id: number };
      const r = await timed(trpcUrl("model.get", { id: model.id }));
      historyTypical.push(r.ms);
      typicalBytes = Math.max(typicalBytes, r.bytes);
    }
    for (let i = 0; i < 50; i++) {
      const model = hot[i % hot.length] as { id: number };
      const r = await timed(trpcUrl("model.get", { id: model.id }));
      historyHot.push(r.ms);
      hotBytes = Math.max(hotBytes, r.bytes);
    }
    const firstEvent: number[] = [];
    const allEvents: number[] = [];
    for (let i = 0; i < 300; i++) {
      const range = runRanges[(i * 7) % runRanges.length] as { runId: number; lo: number; hi: number };
      const after = range.lo + Math.floor(((range.hi - range.lo) * ((i * 37) % 100)) / 100);
      const start = performance.now();
      const response = await fetch(trpcUrl("run.onEvents", { runId: range.runId, lastEventId: after }));
      let first = Number.NaN;
      await readSse(response, (data) => {
        if (Number.isNaN(first) && data.includes('"runId"')) first = performance.now() - start;
        return undefined;
      });
      firstEvent.push(first);
      allEvents.push(performance.now() - start);
    }

    const latencyTable = [
      "| Request | n | p50 ms | p95 ms | max ms | response |",
      "|---|---|---|---|---|---|",
      `| \`model.list\` (1,000 models) | ${list.length} | ${ms(percentile(list, 50))} | ${ms(percentile(list, 95))} | ${ms(Math.max(...list))} | ${(listBytes / 1024).toFixed(0)} KB |`,
      `| \`model.get\`, typical model (${typical[0]?.n ?? 0}–${typical.at(-1)?.n ?? 0} probes) | ${historyTypical.length} | ${ms(percentile(historyTypical, 50))} | ${ms(percentile(historyTypical, 95))} | ${ms(Math.max(...historyTypical))} | ${(typicalBytes / 1024).toFixed(0)} KB |`,
      `| \`model.get\`, most-tested models (${hot.at(-1)?.n ?? 0}–${hot[0]?.n ?? 0} probes) | ${historyHot.length} | ${ms(percentile(historyHot, 50))} | ${ms(percentile(historyHot, 95))} | ${ms(Math.max(...historyHot))} | ${(hotBytes / 1024).toFixed(0)} KB |`,
      `| \`run.onEvents\` after an id: first event | ${firstEvent.length} | ${ms(percentile(firstEvent, 50))} | ${ms(percentile(firstEvent, 95))} | ${ms(Math.max(...firstEvent))} | |`,
      `| \`run.onEvents\` after an id: rest of the run (≤ 500 events, to stream end) | ${allEvents.length} | ${ms(percentile(allEvents, 50))} | ${ms(percentile(allEvents, 95))} | ${ms(Math.max(...allEvents))} | |`,
    ];
    console.log(`\n${latencyTable.join("\n")}\n`);

    // 2. Soak: clients follow a live run while this process writes its events; page requests alongside.
    const now = Date.now();
    const live = await raw.execute({
      sql: "INSERT INTO \"Run\" (hostId, status, mode, optionsJson, startedBy, createdAt, startedAt) VALUES (1, 'running', 'all', '{}', 'bench', ?, ?) RETURNING id",
      args: [isoTime(now), isoTime(now)],
    });
    const liveRunId = Number(live.rows[0]?.id);
    // Hold host 1's lease for the live run, as a CLI driving it would, so the server's worker leaves it alone.
    const heartbeat = () =>
      raw.execute({
        sql: "INSERT INTO \"HostLease\" (hostId, holder, runId, heartbeatAt) VALUES (1, 'bench', ?, ?) ON CONFLICT(hostId) DO UPDATE SET holder = excluded.holder, runId = excluded.runId, heartbeatAt = excluded.heartbeatAt",
        args: [liveRunId, isoTime(Date.now())],
      });
    await heartbeat();
    const delays: number[] = [];
    let received = 0;
    const controller = new AbortController();
    const clients = Array.from({ length: clientCount }, async () => {
      try {
        const response = await fetch(trpcUrl("run.onEvents", { runId: liveRunId, lastEventId: 0 }), {
          signal: controller.signal,
        });
        await readSse(response, (data) => {
          const stamp = /"benchWrittenAt":(\d+)/.exec(data);
          if (stamp) {
            delays.push(Date.now() - Number(stamp[1]));
            received++;
          }
          return undefined;
        });
      } catch (error) {
        if (!controller.signal.aborted) console.error("SSE client failed:", error);
      }
    });
    await sleep(1000);

    let written = 0;
    let writing = true;
    const writer = (async () => {
      while (writing) {
        const stamp = Date.now();
        await raw.execute({
          sql: "INSERT INTO \"RunEvent\" (runId, type, payloadJson, createdAt) VALUES (?, 'log', ?, ?)",
          args: [
            liveRunId,
            JSON.stringify({ message: "bench event", benchWrittenAt: stamp }),
            isoTime(stamp),
          ],
        });
        written++;
        if (written % 10 === 0) await heartbeat();
        await sleep(100);
      }
    })();

    const modelIds = probeCounts.map((row) => row.id);
    const pages = [
      () => trpcUrl("model.list"),
      () => trpcUrl("model.get", { id: modelIds[Math.floor(Math.random() * modelIds.length)] }),
      () => trpcUrl("run.list"),
      () => `${base}/models`,
      () => `${base}/models/${modelIds[Math.floor(Math.random() * modelIds.length)]}`,
    ];
    const pageLatency: number[] = [];
    let pageErrors = 0;
    let loading = true;
    const inFlight = new Set<Promise<void>>();
    const load = (async () => {
      let i = 0;
      const started = performance.now();
      while (loading) {
        const url = (pages[i % pages.length] as () => string)();
        const request = timed(url)
          .then((r) => {
            pageLatency.push(r.ms);
          })
          .catch(() => {
            pageErrors++;
          });
        inFlight.add(request);
        request.finally(() => inFlight.delete(request));
        i++;
        const next = started + (i * 1000) / pageRate;
        await sleep(Math.max(0, next - performance.now()));
      }
    })();

    const rss: { atS: number; server: number; total: number }[] = [];
    const soakStart = Date.now();
    const sample = () => rss.push({ atS: Math.round((Date.now() - soakStart) / 1000), ...serverRssMb(pid) });
    sample();
    while (Date.now() - soakStart < soakMs) {
      await sleep(Math.min(10_000, soakMs - (Date.now() - soakStart)));
      sample();
      const last = rss.at(-1);
      process.stderr.write(
        `  soak ${last?.atS}s: RSS ${last?.server.toFixed(0)} MB, events ${written} written / ${received} received, SSE p95 ${ms(percentile(delays, 95))} ms\r`,
      );
    }
    process.stderr.write("\n");
    loading = false;
    writing = false;
    await load;
    await writer;
    await Promise.all(inFlight);
    await sleep(1000);
    controller.abort();
    await Promise.all(clients);
    await raw.execute({
      sql: "UPDATE \"Run\" SET status = 'completed', finishedAt = ? WHERE id = ?",
      args: [isoTime(Date.now()), liveRunId],
    });
    await raw.execute("DELETE FROM \"HostLease\" WHERE holder = 'bench'");
    raw.close();

    const firstHalf = rss.slice(0, Math.ceil(rss.length / 2));
    const secondHalf = rss.slice(Math.ceil(rss.length / 2));
    const mean = (list: typeof rss) =>
      list.reduce((sum, row) => sum + row.server, 0) / Math.max(1, list.length);
    const soakTable = [
      "| Measure | Value |",
      "|---|---|",
      `| Soak | ${(soakMs / 60_000).toFixed(1)} min, ${clientCount} SSE clients on one live run, ${pageRate} page requests/s |`,
      `| Events written / delivered | ${written} / ${received} (expected ${written * clientCount}) |`,
      `| SSE delay (write → arrival) p50 / p95 / max | ${ms(percentile(delays, 50))} / ${ms(percentile(delays, 95))} / ${ms(largest(delays))} ms |`,
      `| Page requests under load p50 / p95 (errors) | ${ms(percentile(pageLatency, 50))} / ${ms(percentile(pageLatency, 95))} ms (${pageErrors}) |`,
      `| Server RSS start / end / max | ${rss[0]?.server.toFixed(0)} / ${rss.at(-1)?.server.toFixed(0)} / ${Math.max(...rss.map((r) => r.server)).toFixed(0)} MB |`,
      `| Server RSS mean, first half → second half | ${mean(firstHalf).toFixed(0)} → ${mean(secondHalf).toFixed(0)} MB |`,
      `| All server processes (launcher included) at end | ${rss.at(-1)?.total.toFixed(0)} MB |`,
    ];
    console.log(`\n${soakTable.join("\n")}\n`);
    console.log(`RSS samples (s: MB): ${rss.map((r) => `${r.atS}: ${r.server.toFixed(0)}`).join(", ")}`);
  } finally {
    cleanup();
  }
}

if (!values["matrix-only"]) await main();
await benchMatrix({ root, dataDir, port: port + 1, reseed: !values["no-seed"] });
process.exit(0);
