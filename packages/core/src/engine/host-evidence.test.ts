import { describe, expect, it } from "vitest";
import type { ModelSummary } from "../domain/model";
import type { LoadEvidence, RunRecord, Store } from "../ports/store";
import { hostKnowledge } from "./host-evidence";
import type { RunContext } from "./run-context";

function load(
  probeId: number,
  modelId: number,
  contextRequested: number,
  genTokensPerSec: number,
): LoadEvidence {
  return {
    probeId,
    runId: 1,
    modelId,
    modelKey: `model-${modelId}`,
    sizeBytes: 4 * 1024 ** 3,
    contextRequested,
    contextApplied: contextRequested,
    outcome: "pass",
    errorCategory: null,
    requiredBytes: null,
    promptTokensPerSec: genTokensPerSec * 20,
    genTokensPerSec,
  };
}

/** Only what `hostKnowledge` reads of a run context: the host's load evidence and its runs. */
function contextWith(evidence: LoadEvidence[]): RunContext {
  const store = {
    listLoadEvidence: async () => evidence,
    listRuns: async () => [{ id: 1, options: { keepLoaded: false } }],
  } as unknown as Store;
  return { store } as RunContext;
}

describe("the host's evidence for the fit search", () => {
  it("reads another search's pass that spilled into system memory as an out-of-memory failure", async () => {
    const evidence = [load(1, 7, 2_048, 50), load(2, 7, 31_744, 50), load(3, 7, 131_072, 5)];
    const run = { id: 2, hostId: 1, options: { keepLoaded: false } } as RunRecord;
    const model = { id: 9, modelKey: "target", sizeBytes: 1 } as ModelSummary;
    const knowledge = await hostKnowledge(contextWith(evidence), run, model);
    expect(knowledge.evidence.map((entry) => [entry.requested, entry.passed, entry.memoryFailure])).toEqual([
      [2_048, true, false],
      [31_744, true, false],
      [131_072, false, true],
    ]);
    // It did not fit: no applied size for the memory arithmetic to count as loaded.
    expect(knowledge.evidence[2]).toMatchObject({ applied: null, requiredBytes: null });
  });

  it("judges speeds within one search only: another model's slower loads are not spills", async () => {
    const evidence = [load(1, 7, 2_048, 50), load(2, 8, 131_072, 5)];
    const run = { id: 2, hostId: 1, options: { keepLoaded: false } } as RunRecord;
    const model = { id: 9, modelKey: "target", sizeBytes: 1 } as ModelSummary;
    const knowledge = await hostKnowledge(contextWith(evidence), run, model);
    expect(knowledge.evidence.every((entry) => entry.passed)).toBe(true);
  });
});
