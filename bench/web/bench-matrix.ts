import { existsSync, readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { openRawClient } from "@lmstrix/db/raw";
import { ms, percentile, timed } from "./measure";
import { seed } from "./seed";
import { processTree, startServer, stopServer } from "./server-process";

/**
 * The matrix under its target fleet, 1,000 models on each of 5 hosts: the main seed with 5,000 model rows
 * (it gives model m the fleet key of index ⌊(m − 1) / hosts⌋ on host (m − 1) mod hosts + 1, so every key is
 * on every host), fewer events (the matrix reads none), and LM Studio versions so that some results are stale.
 * Its own database and server, so the main benchmark's figures stay comparable with earlier ones.
 */
export const MATRIX_SEED = { hosts: 5, models: 5_000, runs: 2_000, probes: 200_000, events: 20_000 };

export async function benchMatrix(options: { root: string; dataDir: string; port: number; reseed: boolean }) {
  const dataDir = `${options.dataDir}-matrix`;
  if (options.reseed || !existsSync(path.join(dataDir, "lmstrix.db"))) {
    const seeded = await seed({ dataDir, ...MATRIX_SEED });
    const raw = await openRawClient(seeded.file);
    await raw.execute(`UPDATE "Host" SET "lmStudioVersion" = '0.4.21'`);
    // One tested model in seven was measured under the LM Studio before.
    await raw.execute(
      `UPDATE "Model" SET "measuredLmStudioVersion" = CASE WHEN "id" % 7 = 0 THEN '0.3.20' ELSE '0.4.21' END
        WHERE "testStatus" IN ('completed', 'failed')`,
    );
    raw.close();
    console.log(
      `Matrix seed: ${Object.entries(seeded.rows)
        .map(([table, n]) => `${n.toLocaleString("en")} ${table}`)
        .join(", ")}`,
    );
  }
  const base = `http://127.0.0.1:${options.port}`;
  const trpc = (procedure: string, input?: unknown) =>
    `${base}/api/trpc/${procedure}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`}`;
  const server = await startServer(options.root, dataDir, options.port);
  try {
    for (let i = 0; i < 10; i++) {
      await timed(trpc("matrix.get"));
      await timed(`${base}/matrix`);
    }
    const measure = async (url: () => string, n: number) => {
      const samples: number[] = [];
      let bytes = 0;
      const cpuBefore = serverCpuMs(server.pid as number);
      for (let i = 0; i < n; i++) {
        const r = await timed(url());
        samples.push(r.ms);
        bytes = r.bytes;
      }
      return { samples, bytes, cpuMs: (serverCpuMs(server.pid as number) - cpuBefore) / n };
    };
    const matrix = await measure(() => trpc("matrix.get"), 100);
    const page = await measure(() => `${base}/matrix`, 100);
    const sizes = [4_096, 16_384, 32_768, 65_536];
    let i = 0;
    const fit = await measure(
      () => trpc("matrix.fit", { tokens: sizes[i++ % sizes.length], minTokensPerSec: 20 }),
      100,
    );
    const line = (label: string, r: { samples: number[]; bytes: number; cpuMs: number }) =>
      `| ${label} | ${r.samples.length} | ${ms(percentile(r.samples, 50))} | ${ms(percentile(r.samples, 95))} | ${ms(Math.max(...r.samples))} | ${ms(r.cpuMs)} | ${(r.bytes / 1024).toFixed(0)} KB |`;
    console.log(
      `\n${[
        `Load average during the run: ${loadavg()
          .map((value) => value.toFixed(1))
          .join(", ")} (${cpus().length} cores)`,
        "",
        "| Request (1,000 models × 5 hosts, 200,000 probes) | n | p50 ms | p95 ms | max ms | server CPU ms/request | response |",
        "|---|---|---|---|---|---|---|",
        line("`matrix.get` (the /matrix page's data)", matrix),
        line("`/matrix` (HTML)", page),
        line("`matrix.fit` (4K–64K tokens, ≥ 20 tok/s)", fit),
      ].join("\n")}\n`,
    );
  } finally {
    stopServer(server);
  }
}

/** CPU time (user + system) the server's processes have used, from /proc: what a request costs on an idle machine. */
function serverCpuMs(rootPid: number): number {
  const ticksPerMs = 100 / 1000; // USER_HZ is 100 on Linux
  return processTree(rootPid).reduce((sum, { pid }) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const [utime, stime] = stat
        .slice(stat.lastIndexOf(")") + 2)
        .split(" ")
        .slice(11, 13)
        .map(Number);
      return sum + ((utime ?? 0) + (stime ?? 0)) / ticksPerMs;
    } catch {
      return sum;
    }
  }, 0);
}
