export type { PrismaClient } from "@prisma/client";
export { isDeadLocalHolder, localHolder, recoverStoppedRuns, releaseDeadLocalLeases } from "./dead-holders";
export * from "./health";
export { emptyTally, type HistoryExport, type HistoryTally } from "./history-export";
export { hostTimings } from "./host-timings";
export { DEFAULT_LIMIT_CHANGES_TAKE, type LimitChangeFilter, listLimitChanges } from "./limit-changes";
export { eventPayloadJson, toRunEventRow } from "./mappers";
export { readFits, readMatrix, readMeasuredFleet, type SpeedSelection } from "./measured-fleet";
export { readModelComparison, type StoredComparedModel } from "./model-comparison";
export { needlesFromJson } from "./needles-column";
export { PrismaNotificationStore, type WebhookFailureRow } from "./notifications/notification-store";
export { type Database, openDatabase } from "./open-database";
export { databasePath, dataDir, defaultDataDir, repoRoot } from "./paths";
export { PrismaStore } from "./prisma-store";
export {
  CSV_COLUMNS,
  type ExportFormat,
  type ExportOptions,
  exportRegistry,
  exportStream,
  RegistryExportError,
} from "./registry-export";
export * from "./registry-import";
export { createRunWorker, type RunWorkerSettings } from "./run-worker";
export { PrismaScheduleStore } from "./schedules/schedule-store";
export * from "./snapshots";
export type { DatabaseHandle } from "./sqlite-raw";
