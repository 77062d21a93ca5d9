export type { PrismaClient } from "@prisma/client";
export { isDeadLocalHolder, localHolder, recoverStoppedRuns, releaseDeadLocalLeases } from "./dead-holders";
export {
  checkHealth,
  checkHealthOfFile,
  type HealthOptions,
  type HealthProblem,
  type HealthProblemKind,
  type HealthReport,
  type HealthSeverity,
  type HealthStatus,
  type RepairChange,
  type RepairResult,
  repairHealth,
} from "./health";
export { emptyTally, type HistoryExport, type HistoryTally } from "./history-export";
export { hostTimings } from "./host-timings";
export { type Database, openDatabase } from "./open-database";
export { databasePath, dataDir, repoRoot } from "./paths";
export { PrismaStore } from "./prisma-store";
export {
  CSV_COLUMNS,
  type ExportFormat,
  type ExportOptions,
  exportRegistry,
  exportStream,
  RegistryExportError,
} from "./registry-export";
export {
  type FieldChange,
  IMPORT_STARTED_BY,
  type ImportRegistryOptions,
  type ImportResult,
  importRegistry,
  importRegistryText,
  type ModelImport,
  RegistryImportError,
} from "./registry-import";
export {
  createSnapshot,
  DEFAULT_SNAPSHOT_KEEP,
  isSafeSnapshotName,
  listSnapshots,
  type PruneResult,
  pruneSnapshots,
  type RecoverResult,
  type RestoreResult,
  recoverFromSnapshot,
  restoreSnapshot,
  SNAPSHOT_REASONS,
  SnapshotError,
  type SnapshotErrorCode,
  type SnapshotInfo,
  type SnapshotReason,
  snapshotsDir,
} from "./snapshots";
export type { DatabaseHandle } from "./sqlite-raw";
