export * from "./domain/base-model";
export * from "./domain/comfortable-limit";
export * from "./domain/event";
export { warningSubject } from "./domain/events/warning-subject";
export * from "./domain/host";
export * from "./domain/limit-change";
export * from "./domain/model";
export * from "./domain/notification";
export * from "./domain/probe";
export * from "./domain/run";
export * from "./domain/run-request";
export * from "./domain/schedule";
export * from "./domain/staleness";
// Seeded pseudo-random numbers (mulberry32), for data that must be the same on every machine.
export { seededRandom } from "./effective/haystack";
// Where a filled check places its needles (canaries included): what its recall averages over.
export {
  answerReserve,
  checkDepthsOf,
  filledCheckDepths,
  MAX_NEEDLES,
  needleCount,
} from "./effective/needles";
export { CHECK_PROMPTS } from "./engine/check-prompts";
export * from "./engine/duplicate-run";
export {
  EFFECTIVE_GRID_START,
  type FilledSample,
  MAX_FILLED_PROBES,
  planEffective,
} from "./engine/effective-plan";
export {
  type FilledProbeFigures,
  recallFitOf,
  sampleOf,
} from "./engine/filled-sample";
export { HOST_WAIT_STATES } from "./engine/host-connection";
export { seconds } from "./engine/load-watchdog";
export { describeAllSelection, describeRunScope } from "./engine/model-selection";
export { ModelSkips, requestModelSkip, SkipRefusedError } from "./engine/model-skip";
export { type RecallFit, recallAt } from "./engine/recall-fit";
export {
  DEFAULT_ENGINE_SETTINGS,
  type EngineSettings,
  type RunContext,
  STOP_REASONS,
} from "./engine/run-context";
export { executeRun } from "./engine/run-executor";
export {
  cancelRun,
  DEFAULT_LEASE_STALE_MS,
  enqueueRun,
  HostWorker,
  recoverInterruptedRuns,
} from "./engine/run-queue";
export type { Strategy } from "./engine/search";
export * from "./engine/sleep";
export {
  describeTimeLeft,
  estimateTimeLeft,
  foldRunTiming,
  type HostTimings,
  INITIAL_RUN_TIMING,
  type RunTiming,
} from "./engine/time-left";
export type { EngineTimers } from "./engine/timers";
export * from "./errors/error-codes";
export * from "./errors/lmstrix-error";
export * from "./errors/runtime-error";
export * from "./ports/lmstudio-settings";
export * from "./ports/model-runtime";
export * from "./ports/notification-store";
export * from "./ports/schedule-store";
export * from "./ports/store";
export * from "./use-cases";
export { linkedController } from "./util/linked-signal";
export { plainDecimalSchema } from "./util/plain-decimal";
export { stableStringify } from "./util/stable-json";
export { duration, percent, plural, recallPercent, tokens } from "./util/wording";
