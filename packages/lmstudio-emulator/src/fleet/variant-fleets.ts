import { hiddenLoadableLimit } from "../memory.js";
import { defaultFleet } from "./default-fleet.js";
import { type Fleet, type FleetFault, type FleetModel, parseFleet } from "./schema.js";

/**
 * Fleets built from the built-in models with the behaviours LM Studio 0.4.x shows (issue 15) or with fading
 * recall (issue 16), for the benchmarks. Each takes a base fleet (default: the built-in one) and keeps its
 * memory and models; README.md ("Variant fleets") lists what each model gets.
 */

/** The version the 0.4-like fleets report: the build whose rounding is documented (40,000 → 40,192). */
export const LM_STUDIO_04_VERSION = "0.4.23";

/** 0.4.23 rounds the applied context up to a multiple of 256. */
export const ROUND_CONTEXT_04 = 256;

/**
 * Models of the built-in fleet whose request LM Studio 0.4 ignores, and at what. The MLX reports had 4,096 or
 * 32,768 asked and 165,120 loaded; the others load their declared context (the flag form). All of them fit.
 */
const IGNORED_REQUESTS: Readonly<Record<string, "declared" | number>> = {
  "llama-3.2-1b-instruct": "declared",
  "deepseek-r1-distill-qwen-1.5b": "declared",
  "qwen2.5-3b-instruct": "declared",
  "qwen2.5-vl-7b-instruct": 165_120,
};

function llmsOf(fleet: Fleet): FleetModel[] {
  return fleet.models.filter((model) => model.type === "llm");
}

function withFaults(model: FleetModel, added: readonly FleetFault[]): FleetModel {
  return { ...model, faults: [...model.faults, ...added] };
}

/**
 * LM Studio 0.4.23 as the bug tracker shows it: every LLM's applied context is rounded up to a multiple of 256;
 * the models in IGNORED_REQUESTS load one size whatever is asked; of the LLMs whose declared context does not
 * fit, every other one (in fleet order) is auto-fitted — loaded at the largest context that fits, silently —
 * while the rest still meet the guardrail. The faults the models already carry stay.
 */
export function lmStudio04Fleet(base: Fleet = defaultFleet): Fleet {
  let tooLargeSeen = 0;
  const models = base.models.map((model) => {
    if (model.type !== "llm") return model;
    const added: FleetFault[] = [{ roundContext: ROUND_CONTEXT_04 }];
    const ignored = IGNORED_REQUESTS[model.modelKey];
    if (ignored !== undefined) {
      added.push(ignored === "declared" ? "ignoresRequestedContext" : { ignoresRequestedContext: ignored });
    } else if (hiddenLoadableLimit(model, base.memoryBytes) < model.maxContextLength) {
      if (tooLargeSeen++ % 2 === 0) added.push("autoFit");
    }
    return withFaults(model, added);
  });
  return parseFleet({ ...base, lmStudioVersion: LM_STUDIO_04_VERSION, models }, "LM Studio 0.4-like fleet");
}

/** How far a spilling load may reach: system RAM as large again as the memory LM Studio gets. */
export const SPILL_TO_RAM_FACTOR = 2;

/**
 * Guardrails switched off on every model: a load above memory fails late with the engine's out-of-memory
 * error, except on every third LLM (in fleet order), which spills into system RAM up to twice the memory and
 * then runs 10× slower.
 */
export function noGuardrailFleet(base: Fleet = defaultFleet): Fleet {
  let llmIndex = 0;
  const models = base.models.map((model) => {
    const spills = model.type === "llm" && llmIndex++ % 3 === 2;
    return withFaults(model, spills ? ["noGuardrail", { spillToRam: SPILL_TO_RAM_FACTOR }] : ["noGuardrail"]);
  });
  return parseFleet({ ...base, lmStudioVersion: LM_STUDIO_04_VERSION, models }, "no-guardrail fleet");
}

// Cycled over the models with coprime lengths, so that neighbours differ in every parameter.
const AT50_SHARES = [0.45, 0.6, 0.75, 0.9, 0.55] as const;
const WIDTH_SHARES = [0.05, 0.08, 0.12] as const;
const MIDDLE_DIPS = [0, 0.06, 0.12, 0.03] as const;
const BASES = [1, 0.98, 0.96] as const;

/**
 * The LLMs of the base fleet with fading recall and nothing else that goes wrong (no faults, no cliff: the
 * effective context is the declared one), for `bench:effective`. Each model's `at50` is a share (45–90 %) of
 * the largest context it can load, its `width` 5–12 % of `at50`, its middle dip 0–12 % and its base 96–100 %:
 * at a threshold of 85 % the truth lies inside what every model can load.
 */
export function recallFleet(base: Fleet = defaultFleet): Fleet {
  const models = llmsOf(base).map((model, index) => {
    const loadable = Math.min(
      model.maxContextLength,
      hiddenLoadableLimit({ ...model, faults: [] }, base.memoryBytes),
    );
    const at50 = Math.round(loadable * cycle(AT50_SHARES, index));
    return {
      ...model,
      faults: [],
      effectiveContext: model.maxContextLength,
      recall: {
        at50,
        width: Math.round(at50 * cycle(WIDTH_SHARES, index)),
        middleDip: cycle(MIDDLE_DIPS, index),
        base: cycle(BASES, index),
      },
    };
  });
  return parseFleet({ ...base, models }, "recall fleet");
}

function cycle<T>(items: readonly T[], index: number): T {
  return items[index % items.length] as T;
}
