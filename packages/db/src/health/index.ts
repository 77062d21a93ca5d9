export { type RepairChange, type RepairResult, repairHealth } from "./repair";
export { checkHealth, checkHealthOfFile } from "./report";
export type {
  HealthOptions,
  HealthProblem,
  HealthProblemKind,
  HealthReport,
  HealthSeverity,
  HealthStatus,
} from "./types";
