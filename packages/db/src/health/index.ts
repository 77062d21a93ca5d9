export { type RepairChange, type RepairKind, type RepairResult, repairHealth } from "./repair";
export { checkHealth, checkHealthOfFile } from "./report";
export type {
  ForeignKeyViolation,
  HealthIds,
  HealthOptions,
  HealthProblem,
  HealthProblemKind,
  HealthReport,
  HealthSeverity,
  HealthStatus,
} from "./types";
