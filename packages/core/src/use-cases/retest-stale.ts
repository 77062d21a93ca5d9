import type { Host } from "../domain/host";
import type { ModelSummary } from "../domain/model";
import { type RunMode, type RunOptions, type RunOptionsInput, runOptionsSchema } from "../domain/run";
import { modelStaleReasons, type StaleReason } from "../domain/staleness";
import { enqueueRun } from "../engine/run-queue";
import type { Store } from "../ports/store";

export interface StaleModel {
  model: ModelSummary;
  reasons: StaleReason[];
}

/** The host's present LLMs whose stored result was measured under another LM Studio version or model file. */
export function staleModels(
  models: readonly ModelSummary[],
  host: Pick<Host, "lmStudioVersion">,
): StaleModel[] {
  return models
    .filter((model) => model.isPresent && model.type === "llm")
    .map((model) => ({ model, reasons: modelStaleReasons(model, host.lmStudioVersion) }))
    .filter((stale) => stale.reasons.length > 0);
}

/**
 * The run that measures stale models again: a search per model, with the effective check when one of them had
 * an effective limit. `force`: the bad sizes found under the old conditions no longer bound the search (a new
 * LM Studio or file may load more). Limits are not reset, so the new result is compared with the old one.
 * `overrides`: what the person chose besides (a cool-down, a strategy).
 */
export function staleRetestRequest(
  stale: readonly StaleModel[],
  overrides: StaleRetestOptions = {},
): { mode: RunMode; options: RunOptions } {
  return {
    mode: "single",
    options: runOptionsSchema.parse({
      force: true,
      // Where an effective search stands (a limit, or none found), the re-test measures it again.
      effective: stale.some(
        ({ model }) => model.effectiveLimit !== null || model.effectiveThreshold !== null,
      ),
      ...overrides,
      modelKeys: stale.map(({ model }) => model.modelKey),
    }),
  };
}

/** The run options a re-test of stale models may be given (the models are the stale ones). */
export type StaleRetestOptions = Omit<RunOptionsInput, "modelKeys" | "fixedContext" | "reset">;

export interface StaleRetest {
  hostId: number;
  hostName: string;
  runId: number;
  modelKeys: string[];
}

/**
 * "Re-test stale": one run per enabled host over that host's stale models (hosts with none get no run).
 * Returns the runs queued; empty when nothing is stale.
 */
export async function retestStale(
  store: Pick<Store, "listModels" | "createRun" | "createRunUnlessPending" | "appendEvent">,
  hosts: readonly Host[],
  startedBy: string,
  overrides: StaleRetestOptions = {},
): Promise<StaleRetest[]> {
  const queued: StaleRetest[] = [];
  for (const host of hosts.filter((candidate) => candidate.enabled)) {
    const stale = staleModels(await store.listModels({ hostId: host.id }), host);
    if (stale.length === 0) continue;
    const { mode, options } = staleRetestRequest(stale, overrides);
    const run = await enqueueRun(store, { hostId: host.id, mode, options, startedBy });
    queued.push({ hostId: host.id, hostName: host.name, runId: run.id, modelKeys: options.modelKeys });
  }
  return queued;
}

/** The words for "nothing to re-test", the same in the dashboard and the CLI. */
export function nothingStaleMessage(hostName?: string): string {
  return `Nothing is stale${hostName ? ` on ${hostName}` : ""}: every result was measured under the host's current LM Studio version and model file.`;
}
