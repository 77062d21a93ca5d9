/**
 * `pnpm bench:import [--sizes 1000,10000,50000]`: imports a generated lmstrix.json of each size into a fresh
 * database (the `@lmstrix/db` import, no web server), then the same file again (which must change nothing),
 * and prints a Markdown table of the file size, both durations and the peak RSS.
 *
 * Each size runs in its own process, because peak RSS (VmHWM) only ever grows within a process, with the
 * dashboard's JS heap cap (`--max-old-space-size=1024`): without a cap V8 collects garbage so lazily that the
 * peak says more about its heuristics than about the import.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { importRegistryText, openDatabase, PrismaStore } from "@lmstrix/db";

const MiB = 1024 * 1024;
/** The web server's `--max-old-space-size`. */
const HEAP_CAP_MB = 1024;

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "1000,10000,50000" },
    one: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log(
    "Usage: pnpm bench:import [--sizes 1000,10000,50000]\n" +
      "  --sizes LIST  numbers of models in the generated registries (one process each)",
  );
  process.exit(0);
}

interface Measurement {
  models: number;
  fileMiB: number;
  firstSeconds: number;
  created: number;
  probes: number;
  againSeconds: number;
  againUnchanged: number;
  rssBeforeMiB: number;
  /** Peak RSS after the first import, before the second. */
  firstPeakRssMiB: number;
  peakRssMiB: number;
}

/** A registry shaped like the ones lmstrix writes: tested models with long paths (~900 bytes an entry). */
function generateRegistry(count: number): string {
  const llms: Record<string, unknown> = {};
  const pad = "x".repeat(400);
  for (let i = 0; i < count; i++) {
    const id = `model-${i}`;
    llms[id] = {
      id,
      short_id: id,
      path: `pub/${id}/${id}-${pad}.gguf`,
      size_bytes: 1_000_000 + i,
      ctx_in: 32_768,
      ctx_out: 32_768,
      has_tools: false,
      has_vision: false,
      tested_max_context: 16_384,
      loadable_max_context: 16_384,
      last_known_good_context: 16_384,
      last_known_bad_context: 20_000,
      context_test_status: "completed",
      context_test_log: null,
      context_test_date: "2025-05-01 10:00:00",
      failed: false,
      error_msg: "",
    };
  }
  return JSON.stringify({ llms, path: "/x" }, null, 2);
}

/** Peak resident set of this process so far (VmHWM), in MiB. */
function peakRssMiB(): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"));
  return match ? Number(match[1]) / 1024 : process.resourceUsage().maxRSS / 1024;
}

async function measure(models: number): Promise<Measurement> {
  const text = generateRegistry(models);
  const dataDir = mkdtempSync(path.join(tmpdir(), "lmstrix-bench-import-"));
  const db = await openDatabase({ dataDir });
  try {
    const host = await new PrismaStore(db.prisma).ensureHost("bench", "ws://127.0.0.1:1234");
    const rssBeforeMiB = peakRssMiB();
    let started = performance.now();
    const first = await importRegistryText(db, host.id, text, { source: "lmstrix.json" });
    const firstSeconds = (performance.now() - started) / 1000;
    const firstPeakRssMiB = peakRssMiB();
    started = performance.now();
    const again = await importRegistryText(db, host.id, text, { source: "lmstrix.json" });
    const againSeconds = (performance.now() - started) / 1000;
    if (again.runId !== null || again.created.length + again.updated.length > 0) {
      throw new Error("importing the same file again changed something");
    }
    return {
      models,
      fileMiB: Buffer.byteLength(text) / MiB,
      firstSeconds,
      created: first.created.length,
      probes: first.probesAdded,
      againSeconds,
      againUnchanged: again.unchanged.length,
      rssBeforeMiB,
      firstPeakRssMiB,
      peakRssMiB: peakRssMiB(),
    };
  } finally {
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (values.one) {
  console.log(JSON.stringify(await measure(Number(values.one))));
} else {
  const sizes = values.sizes.split(",").map((text) => {
    const count = Number(text.trim());
    if (!Number.isInteger(count) || count < 1) throw new Error(`--sizes: not a number of models: ${text}`);
    return count;
  });
  const cell = (value: number, digits = 1) => value.toFixed(digits);
  console.log(
    "| models | file MB | import s | created | probes | peak RSS MB after import | again s | peak RSS MB | RSS MB before import |",
  );
  console.log(
    "| -----: | ------: | -------: | ------: | -----: | -----------------------: | ------: | ----------: | -------------------: |",
  );
  for (const size of sizes) {
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, `--max-old-space-size=${HEAP_CAP_MB}`, process.argv[1]!, "--one", String(size)],
      {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
        maxBuffer: 16 * MiB,
      },
    );
    if (child.status !== 0) throw new Error(`the ${size}-model run failed (exit ${child.status})`);
    const m = JSON.parse(child.stdout.trim().split("\n").at(-1)!) as Measurement;
    console.log(
      `| ${m.models.toLocaleString("en-US")} | ${cell(m.fileMiB)} | ${cell(m.firstSeconds)} | ${m.created} | ${m.probes} | ${cell(m.firstPeakRssMiB, 0)} | ${cell(m.againSeconds)} | ${cell(m.peakRssMiB, 0)} | ${cell(m.rssBeforeMiB, 0)} |`,
    );
  }
}
