import type { ModelSummary } from "../domain/model";
import type { RunRecord } from "../ports/store";
import { finishModel, prepareModel } from "./model-search";
import { unlessSkipped } from "./model-skip";
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
      const isDone = state.history.modelError !== undefined || step.kind === "done";
      const isSkipped = await unlessSkipped(ctx, run, latest, async (scoped) => {
        if (isDone) {
          await finishModel(scoped, run, hostUrl, latest, state.history, step, state.isNew);
          return;
        }
        if (lastModelId !== null && lastModelId !== model.id) await scoped.sleep(run.options.cooldownMs);
        lastModelId = model.id;
        if (step.kind === "probe") await probeStep(scoped, hostUrl, latest, step, state.history);
      });
      if (!isDone && !isSkipped) stillActive.push(model);
    }
    active = stillActive;
  }
}
