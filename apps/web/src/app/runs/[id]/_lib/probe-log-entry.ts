import type { StoredPayloadOf } from "@lmstrix/core";

/** One finished probe as the Run page's probe log shows it. */
export interface ProbeLogEntry {
  probeId: number;
  modelKey: string;
  /** `loadable` (a short check) or `effective` (a filled-window check). */
  kind: string;
  context: number;
  applied: number | null;
  outcome: string;
  errorCategory: string | null;
  errorMessage: string | null;
  /** The questions asked, one per line, and the answers expected, one per question (null: not in the event). */
  prompt: string | null;
  expectedAnswer: string | null;
  reply: string | null;
  /** Filled-window checks: share of the needles recalled, and the prompt tokens sent. */
  recall: number | null;
  promptTokensSent: number | null;
  isTruncated: boolean;
  loadMs: number | null;
  genTokensPerSec: number | null;
  at: Date;
}

/** The log entry of a `probe.finished` event (older events lack the fields added since: null then). */
export function probeLogEntry(
  p: StoredPayloadOf<"probe.finished"> & { probeId: number },
  at: Date,
): ProbeLogEntry {
  return {
    probeId: p.probeId,
    modelKey: p.modelKey,
    // Older events name the kind of effective probes only.
    kind: p.kind ?? "loadable",
    context: p.context ?? 0,
    applied: p.applied ?? null,
    outcome: p.outcome ?? "error",
    errorCategory: p.errorCategory ?? null,
    errorMessage: p.errorMessage ?? null,
    prompt: p.prompt ?? null,
    expectedAnswer: p.expectedAnswer ?? null,
    reply: p.reply ?? null,
    recall: p.recall ?? null,
    promptTokensSent: p.promptTokensSent ?? null,
    isTruncated: p.isTruncated === true,
    loadMs: p.loadMs ?? null,
    genTokensPerSec: p.genTokensPerSec ?? null,
    at,
  };
}
