import type {
  LimitKind,
  ModelType,
  ScheduleAction,
  SearchStrategyName,
  SpeedThresholds,
} from "@lmstrix/core";
import type { SnapshotReason } from "@lmstrix/db";

/** What a command line asks for, once parsed and validated (see `parseCommandLine`). */

export const SORT_KEYS = ["id", "ctx", "dtx", "size", "idd", "ctxd", "dtxd", "sized"] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export const SHOW_MODES = ["table", "id", "path", "json"] as const;
export type ShowMode = (typeof SHOW_MODES)[number];

export const EXPORT_FORMATS = ["lmstrix", "json", "csv", "limits"] as const;
export type ExportFormatName = (typeof EXPORT_FORMATS)[number];

export type Command =
  | { name: "help"; topic: string | undefined }
  | { name: "scan"; host: string | undefined; failed: boolean; reset: boolean }
  | { name: "list"; host: string | undefined; sort: SortKey; show: ShowMode }
  | TestCommand
  | {
      name: "infer";
      host: string | undefined;
      prompt: string;
      model: string;
      maxTokens: number | undefined;
      temperature: number;
      ctx: number | undefined;
    }
  | { name: "host-add"; hostName: string; url: string; lmstudioHome?: string }
  | {
      name: "apply";
      host: string | undefined;
      modelKeys: string[];
      limit: LimitKind;
      dryRun: boolean;
      /** Put back the files as they were before the last apply instead. */
      undo: boolean;
      json: boolean;
    }
  | { name: "host-list" }
  | {
      name: "changes";
      host: string | undefined;
      direction: "regression" | "improvement" | undefined;
      limit: number;
      json: boolean;
    }
  | { name: "host-remove"; hostName: string }
  | {
      name: "host-edit";
      hostName: string;
      patch: { url?: string; name?: string; lmstudioHome?: string | null };
    }
  | { name: "schedule-add"; host: string | undefined; cron: string; action: ScheduleAction }
  | { name: "schedule-list"; json: boolean }
  | { name: "schedule-remove"; id: number }
  | { name: "runs"; host: string | undefined; limit: number }
  /** With `modelKey`: skip that model (the one in flight) instead of cancelling the whole run. */
  | { name: "cancel"; runId: number; modelKey?: string }
  | { name: "health"; json: boolean; repair: boolean }
  | {
      name: "import";
      /** As typed; resolved from where the user ran the command. */
      file: string;
      host: string | undefined;
      dryRun: boolean;
      skipInvalid: boolean;
      json: boolean;
    }
  | {
      name: "export";
      format: ExportFormatName;
      host: string | undefined;
      /** As typed; stdout when undefined. */
      out: string | undefined;
      force: boolean;
    }
  | { name: "snapshot-list"; json: boolean }
  | { name: "snapshot-create"; reason: SnapshotReason }
  | { name: "snapshot-restore"; snapshot: string; yes: boolean }
  | { name: "matrix"; json: boolean }
  | { name: "fit"; tokens: number; minTokensPerSec: number; type?: ModelType; json: boolean }
  | { name: "compare"; models: ComparedModelName[]; thresholds: SpeedThresholds; json: boolean };

/** A model `compare` was given: its key, and its host's name (undefined: the default host). */
export interface ComparedModelName {
  host: string | undefined;
  modelKey: string;
}

export interface TestCommand {
  name: "test";
  host: string | undefined;
  modelKeys: string[];
  all: boolean;
  /** `--stale`: the host's models whose results are stale (another LM Studio version or model file). */
  stale?: boolean;
  threshold: number | undefined;
  ctx: number | undefined;
  reset: boolean;
  force: boolean;
  precision: number | undefined;
  cooldownMs: number | undefined;
  keepLoaded: boolean;
  json: boolean;
  /** `--strategy`: how to search for the limit; the run options' default when absent. */
  strategy?: SearchStrategyName;
  /** `--effective`: also measure the effective context (filled-window checks) after the loadable limit. */
  effective?: boolean;
  /** `--recall F`: share 0..1 of the needles a filled check must recall (needs --effective). */
  recallThreshold?: number;
}

/** lmstrix's default temperature for `infer`. */
export const DEFAULT_TEMPERATURE = 0.7;
export const DEFAULT_RUNS_LIMIT = 20;
