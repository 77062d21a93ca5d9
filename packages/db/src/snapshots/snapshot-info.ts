import { LmstrixError, type LmstrixErrorCode } from "@lmstrix/core";

export const SNAPSHOT_REASONS = [
  "before-run",
  "before-import",
  "before-restore",
  "before-repair",
  "before-remove",
  "manual",
] as const;
export type SnapshotReason = (typeof SNAPSHOT_REASONS)[number];

/** How many snapshots are kept unless the apps configure another number (DESIGN.md: "the newest 10"). */
export const DEFAULT_SNAPSHOT_KEEP = 10;

/** The codes (of core's one error vocabulary, `LMSTRIX_ERRORS`) a snapshot operation refuses with. */
export type SnapshotErrorCode = Extract<
  LmstrixErrorCode,
  | "INVALID_NAME"
  | "NOT_FOUND"
  | "RUN_IN_PROGRESS"
  | "INVALID_SNAPSHOT"
  | "NEWER_SNAPSHOT"
  | "INVALID_REASON"
  | "UNSAFE_FOLDER"
>;

export class SnapshotError extends LmstrixError<SnapshotErrorCode> {
  override readonly name = "SnapshotError";
}

export interface SnapshotInfo {
  /** File name inside `<dataDir>/snapshots/`; the only thing callers ever pass back. */
  name: string;
  sizeBytes: number;
  /** One of `SNAPSHOT_REASONS`, or `unknown` for a file LMStrix did not name. */
  reason: string;
  createdAt: Date;
  ageMs: number;
  /** There is a row in the Snapshot table for it. */
  recorded: boolean;
  /** The row exists but the file is gone (deleted by hand); it cannot be restored. */
  missing: boolean;
}
