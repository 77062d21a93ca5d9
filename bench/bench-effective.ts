/**
 * `pnpm bench:effective [--fleets fade,lost-in-the-middle,weak-base] [--threshold 0.856] [--details]`: the
 * effective-context search on fleets of models whose recall fades (emulator `recall` curves), run twice with
 * other seeds; prints per fleet a Markdown table (so docs/benchmarks.md can quote it as printed) and a summary
 * against the targets, then one overall.
 */
import { availableParallelism, cpus } from "node:os";
import { parseArgs } from "node:util";
import { DEFAULT_RECALL_THRESHOLD, MAX_FILLED_PROBES, MAX_NEEDLES } from "@lmstrix/core";
import { type EffectiveOutcome, type EffectiveRun, runEffectiveBenchmark } from "./effective-benchmark";
import { EFFECTIVE_FLEETS, type EffectiveFleetName, effectiveFleet } from "./effective-fleets";
import { type SimulatedFleet, simulateEffective } from "./effective-simulation";

const { values } = parseArgs({
  options: {
    fleets: { type: "string", default: Object.keys(EFFECTIVE_FLEETS).join(",") },
    threshold: { type: "string", default: String(DEFAULT_RECALL_THRESHOLD) },
    models: { type: "string", default: "12" },
    details: { type: "boolean", default: false },
    simulate: { type: "string" },
    needles: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log(
    "Usage: pnpm bench:effective [--fleets LIST] [--threshold T] [--models N] [--details] [--simulate N [--needles K]]\n" +
      `  --fleets LIST   ${Object.keys(EFFECTIVE_FLEETS).join(", ")} (default: all three)\n` +
      `  --threshold T   recall a filled check must reach, in (0, 1] (default ${DEFAULT_RECALL_THRESHOLD})\n` +
      "  --models N      models per fleet (default 12)\n" +
      "  --details       also print every model's curve and filled probes\n" +
      "  --simulate N    instead: the plan alone, N runs per model, probes drawn from the recall curves\n" +
      "  --needles K     with --simulate: K needles per filled check at every size, canaries included (default: the\n" +
      "                  engine's, 16 per 1,024 tokens of the window from 16 to " +
      `${MAX_NEEDLES})`,
  );
  process.exit(0);
}
const threshold = Number(values.threshold);
if (!(threshold > 0 && threshold <= 1)) throw new Error(`--threshold: not in (0, 1]: ${values.threshold}`);
const modelCount = Number(values.models);
if (!(Number.isInteger(modelCount) && modelCount > 0))
  throw new Error(`--models: not a count: ${values.models}`);
const fleetNames = values.fleets.split(",").map((text) => {
  const name = text.trim();
  if (!(name in EFFECTIVE_FLEETS)) {
    throw new Error(`--fleets: not a fleet: ${name} (${Object.keys(EFFECTIVE_FLEETS).join(", ")})`);
  }
  return name as EffectiveFleetName;
});

/** The targets: share of models within the error, share of models whose two runs agree, probes per model. */
const ERROR_TARGET_PERCENT = 10;
const SPREAD_TARGET_PERCENT = 10;
const SHARE_TARGET = 0.9;
/** Emulator seeds of the two runs (each run's needles differ too: another host, other model and run ids). */
const SEEDS = [1, 2] as const;

const tokens = (count: number | null) => (count === null ? "none" : count.toLocaleString("en-US"));
const signed = (value: number | null) =>
  value === null ? "–" : `${value > 0 ? "+" : ""}${value.toFixed(1)} %`;
const seconds = (value: number) =>
  value >= 3600
    ? `${(value / 3600).toFixed(1)} h`
    : value >= 60
      ? `${(value / 60).toFixed(1)} min`
      : `${value.toFixed(0)} s`;
const row = (cells: readonly (string | number)[]) => `| ${cells.join(" | ")} |`;

/** Run 2's limit against run 1's, in % of the truth; null when either found none. */
function spreadPercent(first: EffectiveOutcome, second: EffectiveOutcome): number | null {
  if (first.found === null || second.found === null || first.truth === 0) return null;
  return (100 * Math.abs(second.found - first.found)) / first.truth;
}

/** Within the error target; with no truth (even short prompts miss the threshold), found none. */
function isAccurate(model: EffectiveOutcome): boolean {
  if (model.truth === 0) return model.found === null;
  return model.errorPercent !== null && Math.abs(model.errorPercent) <= ERROR_TARGET_PERCENT;
}

function fleetTable(first: EffectiveRun, second: EffectiveRun): string {
  const lines = [
    row([
      "model",
      "curve (at50, width, dip, base)",
      "declared",
      "truth",
      "σ floor",
      "found",
      "error",
      "filled probes",
      "simulated time",
      "run 2 found",
      "run 2 error",
      "runs apart",
    ]),
    row(Array.from({ length: 12 }, () => "---")),
  ];
  for (const [index, model] of first.models.entries()) {
    const again = second.models[index]!;
    const curve = curveOf(model.modelKey);
    lines.push(
      row([
        model.modelKey,
        curve,
        tokens(model.declared),
        tokens(model.truth),
        `${model.floorPercent.toFixed(1)} %`,
        tokens(model.found),
        signed(model.errorPercent),
        `${model.filledProbes} / ${again.filledProbes}`,
        `${seconds(model.simulatedSeconds)} / ${seconds(again.simulatedSeconds)}`,
        tokens(again.found),
        signed(again.errorPercent),
        signed(spreadPercent(model, again)),
      ]),
    );
  }
  return lines.join("\n");
}

let curveOf: (modelKey: string) => string = () => "";

interface Tally {
  models: number;
  /** Models whose floor lets the error target be met at two standard errors. */
  attainable: number;
  accurate: number;
  agreeing: number;
  withinBudget: number;
  maxProbes: number;
  meanProbes: number;
  meanAbsError: number;
  meanSignedError: number;
  simulatedSeconds: number;
}

function tally(runs: readonly (readonly [EffectiveRun, EffectiveRun])[]): Tally {
  const pairs = runs.flatMap(([first, second]) =>
    first.models.map((model, index) => [model, second.models[index]!] as const),
  );
  const all = pairs.flat();
  const errors = all.map((model) => model.errorPercent).filter((value) => value !== null);
  const probes = all.map((model) => model.filledProbes);
  return {
    models: pairs.length,
    attainable: pairs.filter(([first]) => first.floorPercent <= ERROR_TARGET_PERCENT / 2).length,
    // A model meets the error target when both its runs do.
    accurate: pairs.filter(([first, second]) => isAccurate(first) && isAccurate(second)).length,
    agreeing: pairs.filter(([first, second]) => {
      const spread = spreadPercent(first, second);
      return spread === null ? first.found === second.found : spread <= SPREAD_TARGET_PERCENT;
    }).length,
    withinBudget: pairs.filter(
      ([first, second]) => Math.max(first.filledProbes, second.filledProbes) <= MAX_FILLED_PROBES,
    ).length,
    maxProbes: Math.max(0, ...probes),
    meanProbes: probes.reduce((sum, value) => sum + value, 0) / Math.max(1, probes.length),
    meanAbsError: errors.reduce((sum, value) => sum + Math.abs(value), 0) / Math.max(1, errors.length),
    meanSignedError: errors.reduce((sum, value) => sum + value, 0) / Math.max(1, errors.length),
    simulatedSeconds: all.reduce((sum, model) => sum + model.simulatedSeconds, 0) / 2,
  };
}

/** One line against the targets; returns whether every target is met. */
function summaryLine(label: string, t: Tally): [string, boolean] {
  const share = (count: number) => `${count}/${t.models} (${((100 * count) / t.models).toFixed(0)} %)`;
  const meets = {
    error: t.accurate >= SHARE_TARGET * t.models,
    spread: t.agreeing >= SHARE_TARGET * t.models,
    probes: t.withinBudget === t.models,
  };
  const mark = (ok: boolean) => (ok ? "✓" : "✗ MISSED");
  return [
    `**${label}:** |error| ≤ ${ERROR_TARGET_PERCENT} % in both runs: ${share(t.accurate)} ${mark(meets.error)} (target ≥ ${100 * SHARE_TARGET} %); runs within ${SPREAD_TARGET_PERCENT} %: ${share(t.agreeing)} ${mark(meets.spread)}; ≤ ${MAX_FILLED_PROBES} filled probes: ${share(t.withinBudget)} ${mark(meets.probes)} (mean ${t.meanProbes.toFixed(1)}, max ${t.maxProbes}); mean |error| ${t.meanAbsError.toFixed(1)} %, mean error ${signed(t.meanSignedError)}; simulated LM Studio time of the filled probes ${seconds(t.simulatedSeconds)} per run; σ floor ≤ ${ERROR_TARGET_PERCENT / 2} % (the error target within reach at 2σ): ${share(t.attainable)}.`,
    meets.error && meets.spread && meets.probes,
  ];
}

if (values.needles !== undefined && values.simulate === undefined)
  throw new Error("--needles: only with --simulate (the engine's filled check asks its own needles)");
if (values.simulate !== undefined) {
  const runsPerModel = Number(values.simulate);
  if (!(Number.isInteger(runsPerModel) && runsPerModel >= 2))
    throw new Error(`--simulate: not a count of 2 or more: ${values.simulate}`);
  const needles = values.needles === undefined ? undefined : Number(values.needles);
  if (needles !== undefined && !(Number.isInteger(needles) && needles >= 3))
    throw new Error(`--needles: not a count of 3 or more: ${values.needles}`);
  console.log(
    `# pnpm bench:effective --fleets ${fleetNames.join(",")} --threshold ${threshold} --simulate ${runsPerModel}${values.needles === undefined ? "" : ` --needles ${needles}`}\n`,
  );
  const all: SimulatedFleet[] = [];
  const line = (label: string, fleets: readonly SimulatedFleet[]) => {
    const sum = (pick: (fleet: SimulatedFleet) => number) =>
      fleets.reduce((total, fleet) => total + pick(fleet), 0);
    const models = fleets.flatMap((fleet) => fleet.perModel);
    // Both of two independent runs within the error: the square of each model's own rate, averaged.
    const both =
      models.reduce((total, model) => total + (model.accurate / runsPerModel) ** 2, 0) / models.length;
    const percentOf = (part: number, whole: number) => `${((100 * part) / Math.max(1, whole)).toFixed(1)} %`;
    return `**${label}** (${runsPerModel} runs per model): |error| ≤ ${ERROR_TARGET_PERCENT} %: ${percentOf(
      sum((f) => f.accurate),
      sum((f) => f.runs),
    )} of runs; both of two runs (expected share of models): ${(100 * both).toFixed(1)} %; two runs within ${SPREAD_TARGET_PERCENT} % of each other: ${percentOf(
      sum((f) => f.agreeingPairs),
      sum((f) => f.pairs),
    )} of pairs; mean filled probes ${(
      sum((f) => f.meanProbes * f.runs) /
        Math.max(
          1,
          sum((f) => f.runs),
        )
    ).toFixed(1)}.`;
  };
  for (const name of fleetNames) {
    const simulated = simulateEffective({
      fleet: effectiveFleet(name, modelCount),
      threshold,
      runsPerModel,
      errorShare: ERROR_TARGET_PERCENT / 100,
      needles,
    });
    all.push(simulated);
    console.log(`${line(name, [simulated])}\n`);
  }
  if (all.length > 1) console.log(line("Overall", all));
  process.exit(0);
}

console.log(
  `# pnpm bench:effective --fleets ${fleetNames.join(",")} --threshold ${threshold}${values.details ? " --details" : ""}`,
);
console.log(
  `\nMachine: ${availableParallelism()} core(s) (${cpus()[0]?.model ?? "unknown CPU"}), Node ${process.version}. Emulator time scale 0 (simulated time is computed from the emulator's timing model, not waited for); run 1 with emulator seed ${SEEDS[0]}, run 2 with seed ${SEEDS[1]} and other needles. Threshold ${threshold}; truth = the largest prompt (tokens) whose expected recall over the ${MAX_NEEDLES} needle depths of the largest filled check reaches it; needles per filled check: 16 per 1,024 tokens of the window, from 16 to ${MAX_NEEDLES}; σ floor = the standard error no search of ${MAX_FILLED_PROBES} filled probes could beat (all their needles asked at the truth), in % of the truth; found = the stored effective limit (where the recall curve fitted through every filled probe crosses the threshold; on a cliff, the prompt tokens of the largest passing filled check).`,
);

const everyFleet: (readonly [EffectiveRun, EffectiveRun])[] = [];
let allMet = true;
for (const name of fleetNames) {
  const fleet = effectiveFleet(name, modelCount);
  curveOf = (modelKey) => {
    const curve = fleet.models.find((model) => model.modelKey === modelKey)?.recall;
    return curve ? `${tokens(curve.at50)}, ${tokens(curve.width)}, ${curve.middleDip}, ${curve.base}` : "";
  };
  const startedAt = performance.now();
  const [first, second] = await runEffectiveBenchmark({ fleet, threshold, seeds: SEEDS });
  if (!first || !second) throw new Error("a run is missing");
  const wall = (performance.now() - startedAt) / 1000;
  console.log(`\n## ${EFFECTIVE_FLEETS[name].label}: \`${name}\`, ${fleet.models.length} models\n`);
  console.log(fleetTable(first, second));
  const [line, met] = summaryLine(name, tally([[first, second]]));
  console.log(`\n${line} Runs ${first.runStatus} / ${second.runStatus}; wall time ${seconds(wall)}.`);
  if (!met || first.runStatus !== "completed" || second.runStatus !== "completed") allMet = false;
  if (values.details) {
    console.log(`\n### Filled probes — ${name} (requested size: recall, run 1 then run 2)\n`);
    for (const [index, model] of first.models.entries()) {
      const describe = (outcome: EffectiveOutcome) =>
        outcome.probes
          .map(
            (probe) =>
              `${tokens(probe.context)}:${probe.recall === null ? "✗" : `${Math.round(100 * probe.recall)}%`}`,
          )
          .join(" ");
      console.log(`- ${model.modelKey}: ${describe(model)}\n  ${describe(second.models[index]!)}`);
    }
  }
  everyFleet.push([first, second]);
}
if (everyFleet.length > 1) console.log(`\n${summaryLine("Overall", tally(everyFleet))[0]}`);
if (!allMet) process.exitCode = 1;
