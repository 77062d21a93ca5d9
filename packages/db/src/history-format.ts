import type { NeedleOutcome } from "@lmstrix/core";
import type { Model as PrismaModel } from "@prisma/client";

/**
 * The `json` export. Dates are ISO 8601 strings (UTC), sizes plain numbers (model files are far below 2^53
 * bytes), JSON columns (`optionsJson`, `payloadJson`, `extraJson`, `needlesJson`, `causesJson`) parsed into
 * `options`, `payload`, `extra`, `needles`, `causes`.
 */
export interface HistoryExport {
  format: "lmstrix-history";
  version: 1;
  exportedAt: string;
  /** The host the export was limited to, or `null` for all. */
  hostId: number | null;
  hosts: {
    id: number;
    name: string;
    url: string;
    enabled: boolean;
    /** The LM Studio version the host reported last. */
    lmStudioVersion: string | null;
    createdAt: string;
    updatedAt: string;
  }[];
  /** Each host's schedules: what they run, when, and what they did last. */
  schedules: {
    id: number;
    hostId: number;
    cron: string;
    action: string;
    enabled: boolean;
    lastRunAt: string | null;
    lastOutcome: string | null;
    createdAt: string;
  }[];
  models: (Omit<
    PrismaModel,
    | "sizeBytes"
    | "firstSeenAt"
    | "lastSeenAt"
    | "lastTestedAt"
    | "extraJson"
    | "modifiedAt"
    | "measuredModifiedAt"
  > & {
    sizeBytes: number;
    firstSeenAt: string;
    lastSeenAt: string;
    lastTestedAt: string | null;
    modifiedAt: string | null;
    measuredModifiedAt: string | null;
    extra: Record<string, unknown> | null;
  })[];
  runs: {
    id: number;
    hostId: number;
    status: string;
    mode: string;
    options: Record<string, unknown>;
    startedBy: string;
    message: string | null;
    createdAt: string;
    startedAt: string | null;
    finishedAt: string | null;
    lmStudioVersion: string | null;
  }[];
  probes: {
    id: number;
    runId: number;
    modelId: number;
    kind: string;
    contextRequested: number;
    contextApplied: number | null;
    previousBadContext: number | null;
    attempts: number;
    outcome: string | null;
    errorCategory: string | null;
    errorMessage: string | null;
    requiredBytes: number | null;
    failedKvCacheBytes: number | null;
    prompt: string | null;
    expectedAnswer: string | null;
    reply: string | null;
    loadMs: number | null;
    timeToFirstTokenMs: number | null;
    promptTokens: number | null;
    promptTokensPerSec: number | null;
    genTokensPerSec: number | null;
    /** Filled-context probes only (null otherwise). */
    recall: number | null;
    promptTokensSent: number | null;
    isTruncated: boolean | null;
    /** Each needle of a filled check in prompt order: depth 0..1, recalled, canary (null when not kept). */
    needles: NeedleOutcome[] | null;
    /** What the probe ran under: the host's LM Studio version, the model file's size and time. */
    lmStudioVersion: string | null;
    modelSizeBytes: number | null;
    modelModifiedAt: string | null;
    startedAt: string;
    finishedAt: string | null;
  }[];
  /** Each regression or improvement a re-test found: "60,000 → 48,000 after LM Studio 0.3.20 → 0.4.21". */
  limitChanges: {
    id: number;
    hostId: number;
    modelId: number;
    runId: number;
    kind: string;
    fromLimit: number;
    toLimit: number;
    direction: string;
    /** What changed between the two measurements (`StaleReason[]`). */
    causes: unknown;
    description: string;
    createdAt: string;
  }[];
  events: { id: number; runId: number; type: string; payload: unknown; createdAt: string }[];
}
