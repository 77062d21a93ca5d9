/**
 * `pnpm bench:search [--memory-gib 16,8] [--fleets default,0.4-like,no-guardrail] [--details] [--no-again]`:
 * both search strategies on the emulator's default fleet (16 GiB) and on the same fleet with other amounts of
 * memory, then on the same models as LM Studio 0.4 serves them and without guardrails; prints, per fleet, a
 * table per strategy (Markdown, so that docs/benchmarks.md can quote it as printed) and the ratios of loads and
 * of simulated LM Studio time against the targets.
 */
import { availableParallelism, cpus, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { defaultFleet, type Fleet, lmStudio04Fleet, noGuardrailFleet } from "@lmstrix/lmstudio-emulator";
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
    fleets: { type: "string", default: "default,0.4-like,no-guardrail" },
    details: { type: "boolean", default: false },
    "no-again": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log(
    "Usage: pnpm bench:search [--memory-gib 16,8] [--fleets LIST] [--details] [--no-again]\n" +
      "  --memory-gib LIST  machines to simulate for the default fleet, in GiB (it is 16)\n" +
      "  --fleets LIST      default, 0.4-like, no-guardrail (default: all three; the last two at 16 GiB)\n" +
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
const FLEETS = {
  default: () =>
    memories.map((gib) => ({ label: memoryLabel(gib), fleet: withMemory(defaultFleet, gib * GiB) })),
  "0.4-like": () => [
    { label: "LM Studio 0.4-like fleet (`lmStudio04Fleet()`): 16 GiB", fleet: lmStudio04Fleet() },
  ],
  "no-guardrail": () => [
    { label: "No-guardrail fleet (`noGuardrailFleet()`): 16 GiB", fleet: noGuardrailFleet() },
  ],
} satisfies Record<string, () => { label: string; fleet: Fleet }[]>;
const fleets = values.fleets.split(",").flatMap((name) => {
  const make = FLEETS[name.trim() as keyof typeof FLEETS];
  if (!make) throw new Error(`--fleets: not a fleet: ${name} (${Object.keys(FLEETS).join(", ")})`);
  return make();
});

function memoryLabel(gib: number): string {
  return gib === 16 ? "Default fleet: 16 GiB" : `Default fleet's models: ${gib} GiB`;
}

/** The targets: `fit` needs at most this share of lmstrix's loads, and of its simulated LM Studio time. */
const LOADS_TARGET = 0.25;
const TIME_TARGET = 0.3;

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
      "simulated LM Studio time (stalled and hung loads)",
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

/** How the details mark a failure's category: memory, stalled, timed out, crashed, failing load. */
const FAILURE_MARKS: Record<string, string> = {
  INSUFFICIENT_RESOURCES: "m",
  STALLED: "s",
  TIMEOUT: "t",
  MODEL_CRASHED: "c",
  LOAD_FAILED: "l",
};

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
  const describe = (probe: ModelOutcome["probes"][number]) => {
    const applied =
      probe.contextApplied !== null && probe.contextApplied !== probe.contextRequested
        ? `→${tokens(probe.contextApplied)}`
        : "";
    const outcome = probe.outcome === "pass" ? "✓" : `✗${FAILURE_MARKS[probe.errorCategory ?? ""] ?? ""}`;
    return `${tokens(probe.contextRequested)}${applied}${outcome}`;
  };
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
console.log(
  `# pnpm bench:search --memory-gib ${memories.join(",")} --fleets ${values.fleets}${values.details ? " --details" : ""}`,
);
console.log(
  `\nMachine: ${cores} core(s) (${cpus()[0]?.model ?? "unknown CPU"}), ${(totalmem() / GiB).toFixed(1)} GiB RAM, Node ${process.version}.`,
);
console.log(
  "Emulator time scale 0.001 (a simulated second takes a real millisecond); a load without progress is given up as stalled (the stall rule) after a real second, charged as LMStrix's default of 60 s (60 real ms would be shorter than a busy machine's scheduling pauses); a timed-out load attempt is charged LMStrix's 10-minute default. `--all` with cooldown 0.",
);

let failures = 0;
for (const { label, fleet } of fleets) {
  const llms = fleet.models.filter((model) => model.type === "llm").length;
  console.log(`\n## ${label}, ${llms} LLMs\n`);
  const results: BenchmarkResult[] = [];
  for (const strategy of ["lmstrix", "fit"] as const) {
    const again = strategy === "fit" && !values["no-again"];
    results.push(...(await runSearchBenchmark({ fleet, strategy, again })));
  }
  console.log(summaryTable(results));
  const [lmstrix, fit] = results.map(summarize);
  if (lmstrix && fit) {
    const ratio = fit.totalLoads / lmstrix.totalLoads;
    const timeRatio = fit.simulatedSeconds / lmstrix.simulatedSeconds;
    const pct = (share: number) => `${(100 * share).toFixed(1)} %`;
    console.log(
      `\nfit / lmstrix: loads ${fit.totalLoads} / ${lmstrix.totalLoads} = ${pct(ratio)} (target ≤ ${pct(LOADS_TARGET)}), median ${fit.medianLoads} vs ${lmstrix.medianLoads}, p90 ${fit.p90Loads} vs ${lmstrix.p90Loads}, simulated time ${pct(timeRatio)} (target ≤ ${pct(TIME_TARGET)}; ${seconds(fit.simulatedSeconds)} vs ${seconds(lmstrix.simulatedSeconds)}, ${pct((fit.simulatedSeconds - fit.hungSeconds) / (lmstrix.simulatedSeconds - lmstrix.hungSeconds))} without the stalled and hung loads).`,
    );
    if (ratio > LOADS_TARGET) failures += 1;
    if (timeRatio > TIME_TARGET) failures += 1;
  }
  for (const result of results) {
    const s = summarize(result);
    if (s.correct !== s.models || s.aboveTruth > 0 || result.runStatus !== "completed") failures += 1;
    if (values.details) {
      console.log(
        `\n### ${result.label} — ${label}\n\nIn test order; probes: requested (→ applied when LM Studio loaded another size), ✓ passed, ✗ failed (m: memory, s: stalled, t: timed out, c: crashed, l: failing load).\n\n${detailsTable(result)}`,
      );
    }
  }
}
if (failures > 0) {
  console.log(
    `\n${failures} check(s) missed: a wrong limit, a run that did not complete, loads above ${100 * LOADS_TARGET} % or simulated time above ${100 * TIME_TARGET} % of lmstrix's.`,
  );
  process.exitCode = 1;
}
