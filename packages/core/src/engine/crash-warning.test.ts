import { describe, expect, it } from "vitest";
import type { ModelSummary } from "../domain/model";
import type { LoadEvidence, ProbeRecord, Store } from "../ports/store";
import { type BadSizeProbe, crashWarning, isRefusalWithoutLoad, warnNearPreviousBad } from "./crash-warning";
import { DEFAULT_ENGINE_SETTINGS, type RunContext } from "./run-context";

const REFUSED: BadSizeProbe = {
  outcome: "fail",
  errorCategory: "INSUFFICIENT_RESOURCES",
  contextApplied: null,
};
const LOAD_FAILED: BadSizeProbe = { outcome: "fail", errorCategory: "LOAD_FAILED", contextApplied: null };
/** Loaded, then ran out of memory while answering: the machine was really at its edge. */
const FAILED_AFTER_LOAD: BadSizeProbe = {
  outcome: "fail",
  errorCategory: "INSUFFICIENT_RESOURCES",
  contextApplied: 32_768,
};
const CRASHED: BadSizeProbe = { outcome: "error", errorCategory: "MODEL_CRASHED", contextApplied: 32_768 };
/** The process died during the load: the probe was never finished. */
const OPEN: BadSizeProbe = { outcome: null, errorCategory: null, contextApplied: null };

describe("isRefusalWithoutLoad", () => {
  it("is a guardrail refusal only when nothing was loaded", () => {
    expect(isRefusalWithoutLoad(REFUSED)).toBe(true);
    expect(isRefusalWithoutLoad(FAILED_AFTER_LOAD)).toBe(false);
    expect(isRefusalWithoutLoad(LOAD_FAILED)).toBe(false);
    expect(isRefusalWithoutLoad(CRASHED)).toBe(false);
    expect(isRefusalWithoutLoad(OPEN)).toBe(false);
  });
});

describe("crashWarning", () => {
  it("warns near a size that crashed or failed after loading, loudly from 90% on", () => {
    expect(crashWarning(30_000, 32_768, CRASHED)).toEqual({
      level: "high",
      message: "30,000 is 92% of the last known bad size 32,768: this load may crash the machine",
    });
    expect(crashWarning(27_000, 32_768, LOAD_FAILED)).toEqual({
      level: "medium",
      message: "27,000 is 82% of the last known bad size 32,768",
    });
    expect(crashWarning(31_000, 32_768, FAILED_AFTER_LOAD)?.level).toBe("high");
    expect(crashWarning(31_000, 32_768, OPEN)?.level).toBe("high");
  });

  it("says nothing near a size the guardrail refused without loading", () => {
    for (const context of [26_300, 29_500, 32_000, 32_768])
      expect(crashWarning(context, 32_768, REFUSED)).toBeNull();
  });

  it("keeps the warning when nothing says how the bad size failed (an imported marker)", () => {
    expect(crashWarning(31_000, 32_768, undefined)?.level).toBe("high");
  });

  it("says nothing below 80% of the bad size, or without one", () => {
    expect(crashWarning(26_000, 32_768, CRASHED)).toBeNull();
    expect(crashWarning(31_000, null, undefined)).toBeNull();
  });
});

const MODEL = { id: 7, hostId: 1, modelKey: "m" } as ModelSummary;

function probeAt(id: number, runId: number, context: number, ended: BadSizeProbe): ProbeRecord {
  return {
    id,
    runId,
    modelId: MODEL.id,
    kind: "loadable",
    contextRequested: context,
    ...ended,
  } as ProbeRecord;
}

function evidenceAt(probeId: number, context: number, ended: BadSizeProbe): LoadEvidence {
  return {
    probeId,
    runId: 1,
    modelId: MODEL.id,
    modelKey: MODEL.modelKey,
    sizeBytes: 1,
    contextRequested: context,
    contextApplied: ended.contextApplied,
    outcome: ended.outcome === "pass" ? "pass" : "fail",
    errorCategory: ended.errorCategory,
    requiredBytes: null,
  };
}

/** A run context over a stand-in store that has only the probe history this rule reads. */
function contextWith(runProbes: ProbeRecord[], evidence: LoadEvidence[] = []) {
  const warnings: Record<string, unknown>[] = [];
  const store = {
    listRunProbes: async () => runProbes,
    listLoadEvidence: async () => evidence,
  } as unknown as Store;
  const ctx: RunContext = {
    runId: 2,
    store,
    runtime: undefined as never,
    signal: new AbortController().signal,
    settings: DEFAULT_ENGINE_SETTINGS,
    emit: async (_type, payload) => {
      warnings.push(payload);
    },
    sleep: async () => {},
  };
  return { ctx, warnings };
}

describe("warnNearPreviousBad", () => {
  it("stays quiet on a bisection step near a size this run saw refused", async () => {
    const { ctx, warnings } = contextWith([
      probeAt(1, 2, 2_048, { ...REFUSED, outcome: "pass" }),
      probeAt(2, 2, 32_768, REFUSED),
    ]);
    await warnNearPreviousBad(ctx, MODEL, 30_000, 32_768, 3);
    expect(warnings).toEqual([]);
  });

  it("warns on a step near a size this run saw fail after loading, even if an earlier run saw it refused", async () => {
    const { ctx, warnings } = contextWith([probeAt(5, 2, 32_768, CRASHED)], [evidenceAt(1, 32_768, REFUSED)]);
    await warnNearPreviousBad(ctx, MODEL, 30_000, 32_768, 6);
    expect(warnings).toEqual([expect.objectContaining({ modelKey: "m", context: 30_000, level: "high" })]);
  });

  it("reads earlier runs when this run has no probe at the bad size: the newest one counts", async () => {
    const refusedBefore = contextWith(
      [],
      [evidenceAt(1, 32_768, FAILED_AFTER_LOAD), evidenceAt(4, 32_768, REFUSED)],
    );
    await warnNearPreviousBad(refusedBefore.ctx, MODEL, 30_000, 32_768, 9);
    expect(refusedBefore.warnings).toEqual([]);

    const failedBefore = contextWith(
      [],
      [evidenceAt(1, 32_768, REFUSED), evidenceAt(4, 32_768, LOAD_FAILED)],
    );
    await warnNearPreviousBad(failedBefore.ctx, MODEL, 30_000, 32_768, 9);
    expect(failedBefore.warnings).toHaveLength(1);
  });

  it("does not take the probe being started for the bad size's history", async () => {
    // A forced probe at the bad size itself: the open row is this probe, the refusal before it is the history.
    const { ctx, warnings } = contextWith([probeAt(2, 2, 32_768, REFUSED), probeAt(3, 2, 32_768, OPEN)]);
    await warnNearPreviousBad(ctx, MODEL, 32_768, 32_768, 3);
    expect(warnings).toEqual([]);
  });

  it("warns when nothing in the history says how the bad size failed", async () => {
    const { ctx, warnings } = contextWith([]);
    await warnNearPreviousBad(ctx, MODEL, 30_000, 32_768, 1);
    expect(warnings).toHaveLength(1);
  });
});
