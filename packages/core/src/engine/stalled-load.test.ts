import { describe, expect, it } from "vitest";
import type { ModelSummary } from "../domain/model";
import type { ProbeRecord } from "../ports/store";
import { fitStrategy } from "./fit-search";
import { readModelHistory } from "./model-history";
import { defaultPrecision, lmstrixBatchStrategy, lmstrixSingleStrategy, type Strategy } from "./search";
import { verdictFor } from "./verdict";

/** Loads at more than this stall (as `nvidia_llama-3.1-8b-ultralong-512k-instruct` does in the demo fleet). */
const HANGS_ABOVE = 65_536;
const DECLARED = 524_288;

const model = { id: 1, hostId: 1, modelKey: "ultralong", lastBadContext: null } as ModelSummary;

/** A probe row as the engine writes it: a load above the hang size ends `fail` with category STALLED. */
function probeAt(id: number, context: number): ProbeRecord {
  const isStalled = context > HANGS_ABOVE;
  return {
    id,
    runId: 1,
    modelId: model.id,
    kind: "loadable",
    contextRequested: context,
    contextApplied: isStalled ? null : context,
    outcome: isStalled ? "fail" : "pass",
    errorCategory: isStalled ? "STALLED" : null,
    errorMessage: isStalled ? "No load progress for 60 s (stuck at 99%); given up as stalled" : null,
    attempts: 1,
    previousBadContext: null,
    requiredBytes: null,
  } as ProbeRecord;
}

/** Runs `strategy` the way the engine does: each step's probe stored, the history read back from the rows. */
function searchThroughStore(strategy: Strategy) {
  const rows: ProbeRecord[] = [];
  for (let step = 0; step < 100; step += 1) {
    const history = readModelHistory(model, rows);
    const next = strategy(
      { declared: DECLARED, threshold: 131_072, verifyContext: 2_048, previousBad: null, force: false },
      history.observations,
    );
    if (next.kind === "done") return { ...next, probed: rows.map((row) => row.contextRequested) };
    rows.push(probeAt(rows.length + 1, next.context));
  }
  throw new Error("the search did not finish");
}

describe("a stalled load", () => {
  it("fails its size without the retries of a timeout", () => {
    expect(verdictFor("STALLED")).toBe("size-failed");
    expect(verdictFor("TIMEOUT")).toBe("retry");
  });

  it("is a failed observation at its size (not a memory failure) in the model's history", () => {
    const history = readModelHistory(model, [probeAt(1, 2_048), probeAt(2, 131_072)]);
    expect(history.observations).toEqual([
      expect.objectContaining({ requested: 2_048, passed: true }),
      expect.objectContaining({ requested: 131_072, applied: null, passed: false, memoryFailure: false }),
    ]);
    expect(history.modelError).toBeUndefined();
    expect(history.lastFailure?.errorCategory).toBe("STALLED");
  });

  it.each([
    ["lmstrix single", lmstrixSingleStrategy],
    ["lmstrix batch", lmstrixBatchStrategy],
    ["fit", fitStrategy],
  ])(
    "counts as a failure at that size for the %s search: below it, within the precision",
    (_name, strategy) => {
      const result = searchThroughStore(strategy);
      expect(result.limit).not.toBeNull();
      expect(result.limit!).toBeLessThanOrEqual(HANGS_ABOVE);
      expect(HANGS_ABOVE - result.limit!).toBeLessThanOrEqual(defaultPrecision(HANGS_ABOVE + 1_024));
      const stalled = result.probed.filter((context) => context > HANGS_ABOVE);
      expect(stalled.length).toBeGreaterThan(0);
      // No stalled size is asked again.
      expect(new Set(stalled).size).toBe(stalled.length);
    },
  );
});
