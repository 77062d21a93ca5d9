import "server-only";
import { type Database, readModelComparison as readStoredComparison } from "@lmstrix/db";
import { readEffectiveRuns } from "./effective-runs";

// The limits are core's (shared with `lmstrix compare`); the page reads them from here.
export { COMPARE_MAX_MODELS, COMPARE_MIN_MODELS } from "@lmstrix/core";

/**
 * Several models side by side, in the order of `ids`: each with its host, its newest probes (oldest first,
 * as on its Model page), its probe total and each run's effective limit among those probes (for the history
 * chart: a noisy measurement is shown run by run, as on the Model page); `missingIds` are the ids no model
 * has. The read is the store's (@lmstrix/db), shared with the CLI; the page works out each column's figures
 * with core's rules.
 */
export async function readModelComparison({ prisma }: Pick<Database, "prisma">, ids: readonly number[]) {
  const comparison = await readStoredComparison(prisma, ids);
  const effectiveRunIds = new Set(
    comparison.models.flatMap((model) =>
      model.probes.filter((probe) => probe.kind === "effective").map((probe) => probe.runId),
    ),
  );
  const runs =
    effectiveRunIds.size === 0
      ? []
      : await prisma.run.findMany({
          where: { id: { in: [...effectiveRunIds] } },
          select: { id: true, optionsJson: true },
        });
  const models = await Promise.all(
    comparison.models.map(async (model) => {
      const ownRunIds = new Set(model.probes.map((probe) => probe.runId));
      const ownRuns = runs.filter((run) => ownRunIds.has(run.id));
      return { ...model, effectiveRuns: await readEffectiveRuns(prisma, model.modelKey, ownRuns) };
    }),
  );
  return { models, missingIds: comparison.missingIds };
}

export type ComparedModel = Awaited<ReturnType<typeof readModelComparison>>["models"][number];
