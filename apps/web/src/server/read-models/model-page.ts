import "server-only";
import { PROBE_HISTORY_LIMIT } from "@lmstrix/core";
import { type Database, needlesFromJson } from "@lmstrix/db";
import { readEffectiveRuns, recallThresholdOf } from "./effective-runs";

/** How many of a model's probes its page gets: the newest ones (as many as a comparison reads, core's). */
export { PROBE_HISTORY_LIMIT };

/**
 * One model's page: its facts, its latest probes (oldest first, filled checks with their needles) with their
 * total, the runs that made them (with the recall threshold of those that ran filled checks), and each run's
 * effective limit of the model.
 */
export async function readModelPage({ prisma }: Pick<Database, "prisma">, id: number) {
  const model = await prisma.model.findUnique({
    where: { id },
    select: {
      id: true,
      modelKey: true,
      displayName: true,
      type: true,
      format: true,
      publisher: true,
      path: true,
      sizeBytes: true,
      architecture: true,
      quantization: true,
      params: true,
      declaredContext: true,
      vision: true,
      toolUse: true,
      isPresent: true,
      firstSeenAt: true,
      lastSeenAt: true,
      testStatus: true,
      loadableLimit: true,
      effectiveLimit: true,
      effectiveThreshold: true,
      lastGoodContext: true,
      lastBadContext: true,
      lastTestedAt: true,
      errorCategory: true,
      errorMessage: true,
      host: { select: { id: true, name: true } },
    },
  });
  if (!model) return null;
  // The latest PROBE_HISTORY_LIMIT, newest first from the (modelId, startedAt) index, then put back in time
  // order. A favourite model re-tested for months has thousands of probes, and loading them all made this
  // page's request take 250-400 ms and 2.4 MB (docs/benchmarks.md, "Web server").
  const latest = await prisma.probe.findMany({
    where: { modelId: id },
    orderBy: { startedAt: "desc" },
    take: PROBE_HISTORY_LIMIT,
    select: {
      id: true,
      runId: true,
      kind: true,
      contextRequested: true,
      contextApplied: true,
      outcome: true,
      errorCategory: true,
      errorMessage: true,
      prompt: true,
      expectedAnswer: true,
      reply: true,
      loadMs: true,
      timeToFirstTokenMs: true,
      promptTokensPerSec: true,
      genTokensPerSec: true,
      promptTokens: true,
      recall: true,
      promptTokensSent: true,
      isTruncated: true,
      needlesJson: true,
      startedAt: true,
      finishedAt: true,
    },
  });
  // Only a capped list needs the real total, so that the page can say how many it does not show.
  const probeTotal =
    latest.length < PROBE_HISTORY_LIMIT
      ? latest.length
      : await prisma.probe.count({ where: { modelId: id } });
  const probes = latest.reverse().map(({ needlesJson, ...probe }) => ({
    ...probe,
    needles: needlesFromJson(needlesJson),
  }));
  const runIds = [...new Set(probes.map((probe) => probe.runId))];
  const runRows = await prisma.run.findMany({
    where: { id: { in: runIds } },
    orderBy: { id: "desc" },
    select: {
      id: true,
      status: true,
      mode: true,
      startedBy: true,
      createdAt: true,
      startedAt: true,
      finishedAt: true,
      optionsJson: true,
    },
  });
  const runs = runRows.map(({ optionsJson, ...run }) => ({
    ...run,
    recallThreshold: recallThresholdOf(optionsJson),
  }));
  const effectiveRuns = await readEffectiveRuns(prisma, model.modelKey, runRows);
  return { model: { ...model, sizeBytes: Number(model.sizeBytes) }, probes, probeTotal, runs, effectiveRuns };
}

/** The name a model's page goes by in the browser's tab, or `null` when there is no such model. */
export async function readModelTitle({ prisma }: Pick<Database, "prisma">, id: number) {
  const model = await prisma.model.findUnique({
    where: { id },
    select: { displayName: true, modelKey: true, host: { select: { name: true } } },
  });
  return model && `${model.displayName || model.modelKey} on ${model.host.name}`;
}

/** A model's key and host, by id (what the Apply procedures act on); null when there is no such model. */
export function readModelKey({ prisma }: Pick<Database, "prisma">, id: number) {
  return prisma.model.findUnique({ where: { id }, select: { modelKey: true, hostId: true } });
}
