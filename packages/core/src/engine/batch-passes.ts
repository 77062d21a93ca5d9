import type { ModelSummary } from "../domain/model";
import type { RunRecord } from "../ports/store";
import { finishModel, prepareModel } from "./model-search";
import { probeStep } from "./probe-step";
import type { RunContext } from "./run-context";
import { lmstrixBatchStrategy } from "./search";

/**
 * `--all`: lmstrix's passes — every model one probe per pass, smallest models first — so that a night's
 * batch gives every model a first number early. A model leaves the batch when its search is done.
 */
export async function runBatch(ctx: RunContext, run: RunRecord, hostUrl: string, models: ModelSummary[]) {
  let active = [...models];
  let lastModelId: number | null = null;
  while (active.length > 0) {
    const stillActive: ModelSummary[] = [];
    for (const model of active) {
      const latest = (await ctx.store.getModel(run.hostId, model.modelKey)) ?? model;
      const probes = await ctx.store.listRunProbes(run.id);
      const state = await prepareModel(ctx, run, latest, probes);
      const step = lmstrixBatchStrategy(state.params, state.history.observations);
      if (state.history.modelError || step.kind === "done") {
        await finishModel(ctx, run, hostUrl, latest, state.history, step, state.isNew);
        continue;
      }
      if (lastModelId !== null && lastModelId !== model.id) await ctx.sleep(run.options.cooldownMs);
      lastModelId = model.id;
      await probeStep(ctx, hostUrl, latest, step, state.history);
      stillActive.push(model);
    }
    active = stillActive;
  }
}
