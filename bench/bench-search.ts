/**
 * `pnpm bench:search [--memory-gib 16,8] [--details] [--no-again]`: both search strategies on the emulator's
 * default fleet (16 GiB) and on the same fleet with another amount of memory; prints, per fleet, a table per
 * strategy (Markdown, so that docs/benchmarks.md can quote it as printed) and the ratio of loads.
 */
import { availableParallelism, cpus, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { defaultFleet } from "@lmstrix/lmstudio-emulator";
import {
  type BenchmarkResult,
  type ModelOutcome,
  runSearchBenchmark,
  summarize,
  withMemory,
} from "./search-benchmark";

const GiB = 1024 ** 3;

const { values } = parseArgs({
  options: {
    "memory-gib": { type: "string", default: "16,8" },
    details: { type: "boolean", default: false },
    "no-again": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log(
    "Usage: pnpm bench:search [--memory-gib 16,8] [--details] [--no-again]\n" +
      "  --memory-gib LIST  machines to simulate, in GiB (the default fleet is 16)\n" +
      "  --details          also print every model's truth, result and loads\n" +
      "  --no-again         skip testing the fleet a second time with fit (earlier results on the host)",
  );
  process.exit(0);
}
const memories = values["memory-gib"].split(",").map((text) => {
  const gib = Number(text.trim());
  if (!(gib > 0)) throw new Error(`--memory-gib: not a size in GiB: ${text}`);
  return gib;
});

const tokens = (count: number) => count.toLocaleString("en-US");
const seconds = (value: number) =>
  value >= 3600
    ? `${(value / 3600).toFixed(1)} h`
    : value >= 60
      ? `${(value / 60).toFixed(1)} min`
      : `${value.toFixed(0)} s`;

function row(cells: readonly (string | number)[]): string {
  return `| ${cells.join(" | ")} |`;
}

function summaryTable(results: readonly BenchmarkResult[]): string {
  const lines = [
    row([
      "strategy",
      "models",
      "loads total",
      "loads/model median",
      "p90",
      "max",
      "simulated LM Studio time (hung loads)",
      "limits correct",
      "above truth",
      "max error (tokens)",
      "max error %",
      "mean error %",
      "wall time",
    ]),
    row(Array.from({ length: 13 }, () => "---")),
  ];
  for (const result of results) {
    const s = summarize(result);
    lines.push(
      row([
        result.label,
        s.models,
        `${s.totalLoads}${s.totalLoads === result.emulatorLoads ? "" : ` (${result.emulatorLoads} seen by LM Studio)`}`,
        s.medianLoads,
        s.p90Loads,
        s.maxLoads,
        `${seconds(s.simulatedSeconds)} (${seconds(s.hungSeconds)})`,
        `${s.correct}/${s.models}`,
        s.aboveTruth,
        tokens(s.maxErrorTokens),
        s.maxErrorPercent.toFixed(2),
        s.meanErrorPercent.toFixed(2),
        seconds(result.wallMs / 1000),
      ]),
    );
  }
  return lines.join("\n");
}

function detailsTable(result: BenchmarkResult): string {
  const lines = [
    row([
      "model",
      "declared",
      "truth",
      "found",
      "error",
      "loads",
      "simulated time",
      "probes (requested → outcome)",
    ]),
    row(Array.from({ length: 8 }, () => "---")),
  ];
  const describe = (probe: ModelOutcome["probes"][number]) =>
    `${tokens(probe.contextRequested)}${probe.outcome === "pass" ? "✓" : `✗${probe.errorCategory === "INSUFFICIENT_RESOURCES" ? "m" : ""}`}`;
  for (const model of result.models) {
    lines.push(
      row([
        model.modelKey,
        tokens(model.declared),
        model.truth === null ? "fails" : tokens(model.truth),
        model.found === null ? model.status : tokens(model.found),
        `${model.errorTokens === null ? "" : tokens(model.errorTokens)}${model.isCorrect ? "" : " WRONG"}`,
        model.loads,
        seconds(model.simulatedSeconds),
        model.probes.map(describe).join(" "),
      ]),
    );
  }
  return lines.join("\n");
}

const cores = availableParallelism();
console.log(`# pnpm bench:search --memory-gib ${memories.join(",")}${values.details ? " --details" : ""}`);
console.log(
  `\nMachine: ${cores} core(s) (${cpus()[0]?.model ?? "unknown CPU"}), ${(totalmem() / GiB).toFixed(1)} GiB RAM, Node ${process.version}.`,
);
console.log(
  "Emulator time scale 0.001 (a simulated second takes a real millisecond); a hung load is given up after 600 simulated seconds (LMStrix's 10-minute default), retried twice. `--all` with cooldown 0.",
);

let failures = 0;
for (const gib of memories) {
  const fleet = withMemory(defaultFleet, gib * GiB);
  const llms = fleet.models.filter((model) => model.type === "llm").length;
  console.log(`\n## ${gib === 16 ? "Default fleet" : "Default fleet's models"}: ${gib} GiB, ${llms} LLMs\n`);
  const results: BenchmarkResult[] = [];
  for (const strategy of ["lmstrix", "fit"] as const) {
    const again = strategy === "fit" && !values["no-again"];
    results.push(...(await runSearchBenchmark({ fleet, strategy, again })));
  }
  console.log(summaryTable(results));
  const [lmstrix, fit] = results.map(summarize);
  if (lmstrix && fit) {
    const ratio = fit.totalLoads / lmstrix.totalLoads;
    console.log(
      `\nfit / lmstrix: loads ${fit.totalLoads} / ${lmstrix.totalLoads} = ${(100 * ratio).toFixed(1)} % (target ≤ 40 %), median ${fit.medianLoads} vs ${lmstrix.medianLoads}, p90 ${fit.p90Loads} vs ${lmstrix.p90Loads}, simulated time ${(100 * (fit.simulatedSeconds / lmstrix.simulatedSeconds)).toFixed(1)} % (${(100 * ((fit.simulatedSeconds - fit.hungSeconds) / (lmstrix.simulatedSeconds - lmstrix.hungSeconds))).toFixed(1)} % without the hung loads).`,
    );
    if (ratio > 0.4) failures += 1;
  }
  for (const result of results) {
    const s = summarize(result);
    if (s.correct !== s.models || s.aboveTruth > 0 || result.runStatus !== "completed") failures += 1;
    if (values.details) {
      console.log(
        `\n### ${result.label}, ${gib} GiB\n\nIn test order; probes: ✓ passed, ✗ failed, ✗m refused for lack of memory.\n\n${detailsTable(result)}`,
      );
    }
  }
}
if (failures > 0) {
  console.log(
    `\n${failures} check(s) missed: a wrong limit, a run that did not complete, or loads above 40 %.`,
  );
  process.exitCode = 1;
}
