export {
  DEFAULT_SLOW_PREDICTION_FACTOR,
  type ModelFaults,
  resolveFaults,
  targetContextLength,
} from "./faults.js";
export { defaultFleet, defaultFleetInput } from "./fleet/default-fleet.js";
export { readFleetFile } from "./fleet/read-fleet-file.js";
export {
  DEFAULT_LM_STUDIO_VERSION,
  FLAG_FAULTS,
  type Fleet,
  type FleetFault,
  type FleetInput,
  type FleetModel,
  type FleetModelInput,
  FleetValidationError,
  fleetModelSchema,
  fleetSchema,
  PARAMETRIC_FAULTS,
  parseFleet,
} from "./fleet/schema.js";
export {
  LM_STUDIO_04_VERSION,
  lmStudio04Fleet,
  noGuardrailFleet,
  ROUND_CONTEXT_04,
  recallFleet,
  SPILL_TO_RAM_FACTOR,
} from "./fleet/variant-fleets.js";
export { SPILL_SLOWDOWN } from "./host/predict.js";
export {
  EMULATED_LM_STUDIO_VERSION,
  type LmStudioVersion,
  parseLmStudioVersion,
} from "./lmstudio-version.js";
export { type LoadPlan, type MemorySituation, planLoad } from "./load-plan.js";
export type { Logger, LoggerOption } from "./logger.js";
export {
  fitsInMemory,
  formatGigabytes,
  hiddenInMemoryLimit,
  hiddenLoadableLimit,
  OVERHEAD_BYTES,
  requiredBytes,
} from "./memory.js";
export {
  DEFAULT_LOAD_CONTEXT_LENGTH,
  type EmulatorCounters,
  type LoadedInstanceSnapshot,
  type PredictionStats,
  type StopReason,
} from "./model-host.js";
export {
  CRASH_TITLE,
  LOAD_CANCELLED_TITLE,
  LOAD_FAILED_CAUSE,
  LOAD_FAILED_TITLE,
  MEMORY_CACHE_NULL_TITLE,
  NO_MODEL_FOUND_TITLE,
  type SerializedLmsError,
} from "./protocol/errors.js";
export {
  depthAveragedRecall,
  largestContextWithRecall,
  type RecallCurve,
  recallProbability,
} from "./recall.js";
export { generateReply, parseNumberWords } from "./replies.js";
export { MODEL_DEFAULTS_DIRECTORY, savedLoadDefaultsFile } from "./saved-load-defaults.js";
export {
  type Emulator,
  type EmulatorOptions,
  type EmulatorState,
  NAMESPACES,
  startEmulator,
} from "./server.js";
export { countTokens, splitTokens, tokenize } from "./tokenizer.js";
