import type { PayloadOf, RunEventRow, RunEventType } from "../domain/event";
import type { Host } from "../domain/host";
import type { LimitChange } from "../domain/limit-change";
import type { DownloadedModel, ModelSummary, TestStatus } from "../domain/model";
import type { NeedleOutcome, ProbeKind, ProbeResult } from "../domain/probe";
import type { RunMode, RunOptions, RunStatus } from "../domain/run";

export interface ModelSyncResult {
  added: string[];
  changed: string[];
  /** Models the host no longer lists; they are kept (with their history) and marked absent. */
  gone: string[];
  unchanged: number;
}

export interface HostLease {
  hostId: number;
  holder: string;
  runId: number | null;
  heartbeatAt: Date;
}

export interface RunRecord {
  id: number;
  hostId: number;
  status: RunStatus;
  mode: RunMode;
  options: RunOptions;
  startedBy: string;
  message: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** The LM Studio version the host reported when the run started; null before it did (or on older runs). */
  lmStudioVersion: string | null;
}

/** A probe's outcome as the engine writes it: the result plus what the runtime read out of the host's error. */
export interface ProbeFinish extends ProbeResult {
  /** The memory LM Studio said a refused load needs (`RuntimeError.details.requiredBytes`); null when none. */
  requiredBytes?: number | null;
  /** The KV cache buffer an out-of-memory load failed to allocate (`RuntimeError.details.failedKvCacheBytes`). */
  failedKvCacheBytes?: number | null;
  /** Filled-context (`effective`) probes: the share 0..1 of needles recalled; null for loadable probes. */
  recall?: number | null;
  /** Filled-context probes: prompt tokens sent, counted with the model's own tokenizer. */
  promptTokensSent?: number | null;
  /** Filled-context probes: LM Studio reported fewer prompt tokens than were sent (silent truncation). */
  isTruncated?: boolean | null;
  /** Filled-context probes: each needle's depth and whether it was recalled; null for loadable probes. */
  needles?: readonly NeedleOutcome[] | null;
  /** The answers the checks expected, one line per question of `prompt`; null when no check was asked. */
  expectedAnswer?: string | null;
}

/** The filled-context figures of a probe (all null for loadable probes). */
export interface FilledCheckFigures {
  recall: number | null;
  promptTokensSent: number | null;
  isTruncated: boolean | null;
  /** Each needle of the filled prompt: its depth and whether the reply recalled it. */
  needles: readonly NeedleOutcome[] | null;
}

export interface ProbeRecord extends Omit<ProbeResult, "outcome" | "errorCategory">, FilledCheckFigures {
  id: number;
  /** The model's last known bad size before this probe replaced it with its own (pessimistic marker). */
  previousBadContext: number | null;
  /** The memory LM Studio said the refused load needs, in bytes; null when the host stated none. */
  requiredBytes: number | null;
  /** Without a guardrail: the KV cache buffer the load failed to allocate, in bytes; null when none was named. */
  failedKvCacheBytes: number | null;
  /** The answers the checks expected, one line per question of `prompt` (null on probes older than it). */
  expectedAnswer: string | null;
  runId: number;
  modelId: number;
  kind: ProbeKind;
  contextRequested: number;
  outcome: ProbeResult["outcome"] | null;
  errorCategory: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

/**
 * One finished load probe of a host's model (any run), with the model facts the search's memory arithmetic
 * needs: every load at context C costs roughly size + C × bytes-per-token on that host.
 */
export interface LoadEvidence {
  probeId: number;
  runId: number;
  modelId: number;
  modelKey: string;
  /** The model file's size in bytes, as the host reports it now. */
  sizeBytes: number;
  /** The model's architecture and parameter count as the host reports them ("llama", "8B"). */
  architecture?: string | null;
  params?: string | null;
  contextRequested: number;
  /** What LM Studio applied when the load succeeded (the model was loaded at that size); null otherwise. */
  contextApplied: number | null;
  outcome: "pass" | "fail";
  errorCategory: string | null;
  /** The memory LM Studio said a refused load needs, in bytes. */
  requiredBytes: number | null;
  /** Without a guardrail: the KV cache buffer the out-of-memory load failed to allocate, in bytes. */
  failedKvCacheBytes?: number | null;
  /** The first check prompt's speeds (a load that spilled into system memory is many times slower). */
  promptTokensPerSec?: number | null;
  genTokensPerSec?: number | null;
}

/** What `updateHost` may change. */
export type HostPatch = Partial<Pick<Host, "name" | "url" | "enabled" | "lmstudioHome">>;

/** The test summary fields of a model that the engine updates. */
export type ModelSummaryPatch = Partial<
  Pick<
    ModelSummary,
    | "testStatus"
    | "loadableLimit"
    | "effectiveLimit"
    | "effectiveThreshold"
    | "lastGoodContext"
    | "lastBadContext"
    | "lastTestedAt"
    | "errorCategory"
    | "errorMessage"
    | "measuredLmStudioVersion"
    | "measuredSizeBytes"
    | "measuredModifiedAt"
  >
>;

/** A re-test that moved a limit past the precision, as it is recorded (see `LimitChange`). */
export interface NewLimitChange {
  hostId: number;
  modelId: number;
  runId: number;
  change: LimitChange;
}

/** A recorded limit change with its model and host. */
export interface LimitChangeRecord extends LimitChange {
  id: number;
  hostId: number;
  hostName: string;
  modelId: number;
  modelKey: string;
  runId: number;
  /** `describeLimitChange` at the time it was found. */
  description: string;
  createdAt: Date;
}

export interface ModelFilter {
  hostId?: number;
  type?: DownloadedModel["type"];
  status?: TestStatus;
  isPresent?: boolean;
}

/**
 * What the engine, the queue and the apps persist. `packages/db` implements it over SQLite; every write is
 * durable when the promise resolves, so a crash right after loses nothing that was acknowledged.
 */
export interface Store {
  /** All registered hosts, ordered by name. */
  listHosts(): Promise<Host[]>;

  /** A host by id, or `null`. */
  getHost(id: number): Promise<Host | null>;

  /** Creates the host if no host has that name yet; returns the stored host either way. */
  ensureHost(name: string, url: string, lmstudioHome?: string | null): Promise<Host>;

  /** Changes a host's name, URL, LM Studio home or whether it is enabled; null when there is no such host. */
  updateHost(id: number, patch: HostPatch): Promise<Host | null>;

  /** Keeps the LM Studio version the host reported (at a scan or a run's start). */
  setHostLmStudioVersion(hostId: number, version: string): Promise<void>;

  /** Records a limit change a re-test found; the probes of both measurements stay as they are. */
  recordLimitChange(input: NewLimitChange): Promise<LimitChangeRecord>;

  /**
   * Deletes a host with its models, runs, probes and events. Returns false when there is no such host.
   * Callers refuse this while one of its runs is running.
   */
  removeHost(id: number): Promise<boolean>;

  /** Merges a host's downloaded models into the store: new ones added, changed ones updated, gone ones marked absent. */
  syncModels(hostId: number, models: DownloadedModel[], seenAt: Date): Promise<ModelSyncResult>;

  /** Models matching the filter, ordered by host and model key. */
  listModels(filter?: ModelFilter): Promise<ModelSummary[]>;

  /** One model of a host by its LM Studio model key, or `null`. */
  getModel(hostId: number, modelKey: string): Promise<ModelSummary | null>;

  /** Updates a model's current test summary. */
  updateModelSummary(modelId: number, patch: ModelSummaryPatch): Promise<void>;

  /** Creates a run with status `queued`. */
  createRun(input: {
    hostId: number;
    mode: RunMode;
    options: RunOptions;
    startedBy: string;
  }): Promise<RunRecord>;

  /**
   * Creates a `queued` run unless the host has a run that is not finished (queued, running or interrupted) of
   * the same mode with the same options (`sameRunOptions`); then nothing is written and the oldest such run is
   * returned with `created: false`. The check and the insert are one write transaction: two processes racing
   * cannot both create one.
   */
  createRunUnlessPending(input: {
    hostId: number;
    mode: RunMode;
    options: RunOptions;
    startedBy: string;
  }): Promise<{ run: RunRecord; created: boolean }>;

  /** A run by id, or `null`. */
  getRun(id: number): Promise<RunRecord | null>;

  /** Runs of a host (or all hosts) with the given statuses, oldest first. */
  listRuns(filter: { hostId?: number; statuses?: RunStatus[] }): Promise<RunRecord[]>;

  /**
   * Moves a run to a new status; sets `startedAt` when it first runs (a resumed run keeps it) and `finishedAt`
   * when it ends.
   */
  setRunStatus(id: number, status: RunStatus, message?: string | null): Promise<RunRecord>;

  /**
   * Records a probe as started *before* the load (with what it runs under: the run's LM Studio version and the
   * model file's size and time as stored), and in the same transaction sets the model's
   * pessimistic "last known bad" marker to the probe's size (keeping the value it replaced on the probe), so
   * that a crash mid-load leaves a trace. With `reuseProbeId`, an unfinished probe of an interrupted run is
   * started again instead of adding a second row for the same size.
   */
  startProbe(input: {
    runId: number;
    modelId: number;
    contextRequested: number;
    kind: ProbeKind;
    reuseProbeId?: number;
  }): Promise<ProbeRecord>;

  /** Stores a probe's outcome and timings (and the memory a refused load needed, when the host said). */
  finishProbe(id: number, result: ProbeFinish): Promise<ProbeRecord>;

  /** Records the LM Studio version the run's host reported (each time the run starts or resumes). */
  setRunLmStudioVersion(runId: number, version: string): Promise<void>;

  /** Every probe of a model (all runs), in the order they started: what its limits were measured from. */
  listModelProbes(modelId: number): Promise<ProbeRecord[]>;

  /** Every probe of every model of a host, in the order they started: one read for a report over the host. */
  listHostProbes(hostId: number): Promise<ProbeRecord[]>;

  /** Probes of a run in the order they started. */
  listRunProbes(runId: number): Promise<ProbeRecord[]>;

  /**
   * Every finished loadable probe (outcome `pass` or `fail`; open, cancelled and model-error probes are left
   * out) of the host's models, from all runs, oldest first, with each model's key and size: what the `fit`
   * search learns from earlier loads on the same machine.
   */
  listLoadEvidence(hostId: number): Promise<LoadEvidence[]>;

  /** Appends an event to a run; ids increase monotonically across the whole store. */
  appendEvent<T extends RunEventType>(runId: number, type: T, payload: PayloadOf<T>): Promise<RunEventRow>;

  /**
   * Events of a run with an id greater than `afterId`, oldest first, at most `limit`, as stored: readers
   * type them with `parseRunEvent` (a page keeps rows that do not parse, so paging by id stays exact).
   */
  listEventsAfter(runId: number, afterId: number, limit: number): Promise<RunEventRow[]>;

  /**
   * Takes the host's lease for `holder` if it is free, already held by `holder`, or stale (no heartbeat for
   * `staleAfterMs`). Returns whether `holder` holds it now. One run per host depends on this.
   */
  acquireHostLease(
    hostId: number,
    holder: string,
    runId: number | null,
    staleAfterMs: number,
  ): Promise<boolean>;

  /** The host's lease as stored, or `null` when nobody holds it. */
  getHostLease(hostId: number): Promise<HostLease | null>;

  /** Renews the heartbeat of a lease `holder` holds; returns false when it lost the lease. */
  renewHostLease(hostId: number, holder: string): Promise<boolean>;

  /** Gives the lease up if `holder` holds it. */
  releaseHostLease(hostId: number, holder: string): Promise<void>;
}
