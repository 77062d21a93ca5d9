export { snapshotBeforeRun } from "./before-run";
export { createSnapshot } from "./create";
export { listSnapshots } from "./list";
export { isSafeSnapshotName, snapshotsDir } from "./path-safety";
export { type PruneResult, pruneSnapshots } from "./prune";
export { type RecoverResult, recoverFromSnapshot } from "./recover";
export { type RestoreResult, restoreSnapshot } from "./restore";
export {
  DEFAULT_SNAPSHOT_KEEP,
  SNAPSHOT_REASONS,
  SnapshotError,
  type SnapshotErrorCode,
  type SnapshotInfo,
  type SnapshotReason,
} from "./snapshot-info";
