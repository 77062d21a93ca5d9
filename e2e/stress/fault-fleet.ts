import {
  FLAG_FAULTS,
  type FleetFault,
  type FleetInput,
  type FleetModelInput,
  PARAMETRIC_FAULTS,
} from "@lmstrix/lmstudio-emulator";
import { GiB, llm } from "./fleet";

/**
 * An emulator fleet with one model per emulator fault (and two healthy models), and what a "test all" batch
 * must make of each. Typed by the emulator's own fault lists, so a fault added to the emulator does not
 * compile here until it has a model and an expectation.
 */

type FaultName = (typeof FLAG_FAULTS)[number] | (typeof PARAMETRIC_FAULTS)[number];

/**
 * On the 8 GiB machine below, one of these loads up to (8 − 1 − 0.5 GiB) / 64 KiB = 106,496 tokens. Small
 * declared contexts keep each search short.
 */
function faultLlm(modelKey: string, extra: Partial<FleetModelInput> = {}): FleetModelInput {
  return llm("faults", modelKey, {
    publisher: "faults",
    architecture: "llama",
    paramsString: "1B",
    quantization: { name: "Q4_K_M", bits: 4 },
    ...extra,
  });
}

/** How a model must end, and the error category that must show in its probes (or on the model, if failed). */
interface FaultExpectation {
  modelKey: string;
  status: "completed" | "failed";
  /** A failed model's own category; for a completed one, a category at least one of its probes carries (or, when
   *  a sibling's failure closed its search, one of the sibling's: the same KV cache fails the same way). */
  category?: string;
  /** A completed model's loadable limit must be below this (the fault's threshold). */
  limitBelow?: number;
  /** A completed model's exact loadable limit. */
  limit?: number;
  /**
   * The effective limit (filled-window checks) must be below this, with a probe that saw the prompt truncated.
   * Without it, the effective limit equals the loadable one (the fleet's models answer across their window).
   */
  effectiveBelow?: number;
}

/** One model per fault, keyed by the fault it carries. */
const FAULT_MODELS: Record<FaultName, { faults: FleetFault[]; model: Partial<FleetModelInput> }> = {
  memoryCacheNull: { faults: ["memoryCacheNull"], model: {} },
  notFoundOnUnload: { faults: ["notFoundOnUnload"], model: {} },
  hangOnLoad: { faults: ["hangOnLoad"], model: {} },
  slowPrediction: { faults: ["slowPrediction", { slowPrediction: 4 }], model: {} },
  crashAbove: { faults: [{ crashAbove: 20_000 }], model: { maxContextLength: 32_768 } },
  loadFailsAbove: { faults: [{ loadFailsAbove: 15_000 }], model: { maxContextLength: 32_768 } },
  hangAbove: { faults: [{ hangAbove: 10_000 }], model: { maxContextLength: 12_288 } },
  silentReduce: { faults: [{ silentReduce: 9_000 }], model: { maxContextLength: 32_768 } },
  disconnectAfterLoads: { faults: [{ disconnectAfterLoads: 2 }], model: { maxContextLength: 32_768 } },
  truncatePromptAbove: { faults: [{ truncatePromptAbove: 3_000 }], model: { maxContextLength: 16_384 } },
  roundContext: { faults: [{ roundContext: 256 }], model: { maxContextLength: 32_768 } },
  ignoresRequestedContext: { faults: ["ignoresRequestedContext"], model: { maxContextLength: 16_384 } },
  autoFit: { faults: ["autoFit"], model: { maxContextLength: 131_072 } },
  noGuardrail: { faults: ["noGuardrail"], model: { maxContextLength: 131_072 } },
  // Another base than the others: the guardrail and spilling are a host's settings (LM Studio's and the GPU
  // driver's), so on a real host a sibling that runs out of memory means this one does too (core's sibling
  // rule). This one host mixes both behaviours; as a sibling, noGuardrail's failure would close its search.
  spillToRam: {
    faults: ["noGuardrail", { spillToRam: 2 }],
    model: { maxContextLength: 131_072, architecture: "qwen2", paramsString: "1.5B" },
  },
};

/** What the batch must conclude per fault (the same verdicts as the CLI's batch-faults proof). */
const FAULT_EXPECTATIONS: Record<FaultName, Omit<FaultExpectation, "modelKey">> = {
  // A corrupted cache fails the model at once; a load that never finishes fails every size by timeout.
  memoryCacheNull: { status: "failed", category: "MEMORY_CACHE_CORRUPTED" },
  hangOnLoad: { status: "failed", category: "TIMEOUT" },
  // Tolerated: the model is measured in full.
  notFoundOnUnload: { status: "completed", limit: 8_192 },
  slowPrediction: { status: "completed", limit: 8_192 },
  disconnectAfterLoads: { status: "completed", limit: 32_768 },
  // Loads in full, but long prompts lose their head: only the filled checks can see it.
  truncatePromptAbove: { status: "completed", limit: 16_384, effectiveBelow: 3_001 },
  // Sizes above the threshold fail with the fault's category; the limit stays below it.
  crashAbove: { status: "completed", category: "MODEL_CRASHED", limitBelow: 20_000 },
  loadFailsAbove: { status: "completed", category: "LOAD_FAILED", limitBelow: 15_001 },
  hangAbove: { status: "completed", category: "TIMEOUT", limitBelow: 10_001 },
  // LM Studio applied less than asked without saying so: the limit is what it really applied.
  silentReduce: { status: "completed", limit: 9_000 },
  // LM Studio 0.4: the declared size is a multiple of the rounding, and the ignored request is the declared
  // size, so both load in full; auto-fit applies the memory limit (106,496) to every larger request.
  roundContext: { status: "completed", limit: 32_768 },
  ignoresRequestedContext: { status: "completed", limit: 16_384 },
  autoFit: { status: "completed", limit: 106_496 },
  // Without a guardrail the larger sizes fail late, out of memory: the limit stays below the memory limit.
  noGuardrail: { status: "completed", category: "INSUFFICIENT_RESOURCES", limitBelow: 106_497 },
  // Spilling into system RAM loads everything up to twice the memory, ten times slower above it: the spill is
  // told from the speed, and the limit stays below the memory limit (the model's reason says where it spills).
  spillToRam: { status: "completed", limitBelow: 106_497 },
};

const HEALTHY_EXPECTATIONS: FaultExpectation[] = [
  { modelKey: "healthy-small", status: "completed", limit: 8_192 },
  // Declared 131,072 but only 106,496 fit in memory: the guardrail refuses the larger sizes.
  { modelKey: "healthy-large", status: "completed", category: "INSUFFICIENT_RESOURCES", limitBelow: 106_497 },
];

export function faultModelKey(fault: FaultName): string {
  return `fault-${fault.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

export const FAULT_FLEET: FleetInput = {
  memoryBytes: 8 * GiB,
  models: [
    faultLlm("healthy-small"),
    faultLlm("healthy-large", { maxContextLength: 131_072 }),
    ...Object.entries(FAULT_MODELS).map(([fault, { faults, model }]) =>
      faultLlm(faultModelKey(fault as FaultName), { ...model, faults }),
    ),
  ],
};

export function allExpectations(): FaultExpectation[] {
  return [
    ...HEALTHY_EXPECTATIONS,
    ...Object.entries(FAULT_EXPECTATIONS).map(([fault, expected]) => ({
      modelKey: faultModelKey(fault as FaultName),
      ...expected,
    })),
  ];
}

/** Every fault name some model of the fleet carries (a bare flag, or the key of a one-key object). */
export function faultsCovered(fleet: FleetInput): Set<string> {
  const covered = new Set<string>();
  for (const model of fleet.models) {
    for (const fault of model.faults ?? [])
      covered.add(typeof fault === "string" ? fault : Object.keys(fault)[0]!);
  }
  return covered;
}

/** The emulator's complete list of faults, flags and parametric ones. */
export function everyEmulatorFault(): Set<string> {
  return new Set<string>([...FLAG_FAULTS, ...PARAMETRIC_FAULTS]);
}
