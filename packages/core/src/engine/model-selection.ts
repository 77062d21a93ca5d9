import type { ModelSummary } from "../domain/model";
import type { ProbeRecord, RunRecord } from "../ports/store";
import { tokens } from "../util/wording";

/**
 * The models a run tests, in order. `all`: the host's present LLMs (embedding models by LM Studio's type,
 * never by name), skipping completed ones unless `reset` (or unless a fixed size was asked: `--all --ctx N`
 * tests every model at N), smallest first (size, then declared context).
 * Models this run already probed stay in, so a resumed run selects the same set.
 */
export function selectModels(
  run: RunRecord,
  models: readonly ModelSummary[],
  runProbes: readonly ProbeRecord[],
): { selected: ModelSummary[]; missing: string[] } {
  const touched = new Set(runProbes.map((probe) => probe.modelId));
  if (run.mode === "all") {
    const isFixed = run.options.fixedContext !== undefined;
    const selected = models
      .filter((model) => model.type === "llm" && model.isPresent)
      .filter(
        (model) => isFixed || run.options.reset || model.testStatus !== "completed" || touched.has(model.id),
      )
      .sort(
        (a, b) =>
          a.sizeBytes - b.sizeBytes ||
          a.declaredContext - b.declaredContext ||
          a.modelKey.localeCompare(b.modelKey),
      );
    return { selected, missing: [] };
  }
  const byKey = new Map(models.map((model) => [model.modelKey, model]));
  const selected: ModelSummary[] = [];
  const missing: string[] = [];
  for (const key of run.options.modelKeys) {
    const model = byKey.get(key);
    if (model?.isPresent) selected.push(model);
    else missing.push(key);
  }
  return { selected, missing };
}

/** What an `all` run's selection is, in words, by `selectModels`' rule: "all LLMs without a completed test". */
export function describeAllSelection(options: Pick<RunRecord["options"], "reset" | "fixedContext">): string {
  return options.reset || options.fixedContext !== undefined
    ? "all LLMs"
    : "all LLMs without a completed test";
}

/** What a run was asked to test, in a few words: "all", "qwen3-8b", "2 models", "all @ 8,192". */
export function describeRunScope(options: Pick<RunRecord["options"], "modelKeys" | "fixedContext">): string {
  const keys = options.modelKeys;
  const scope = keys.length === 0 ? "all" : keys.length === 1 ? keys[0]! : `${keys.length} models`;
  return options.fixedContext !== undefined ? `${scope} @ ${tokens(options.fixedContext)}` : scope;
}
