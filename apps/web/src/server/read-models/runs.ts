import "server-only";
import { describeRunScope, type RunStatus, runOptionsSchema } from "@lmstrix/core";
import type { Database } from "@lmstrix/db";

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * Newest runs first (optionally of one host, or with one status), with how many probes each made and what it
 * was asked to test (`scope`: "all", "qwen3-8b", "2 models"; `modelKeys`: the models named, none for all).
 */
export async function readRunList(
  { prisma }: Pick<Database, "prisma">,
  filter: { hostId?: number; status?: RunStatus; take: number },
) {
  const runs = await prisma.run.findMany({
    where: { hostId: filter.hostId, status: filter.status },
    orderBy: { id: "desc" },
    take: filter.take,
    select: {
      id: true,
      status: true,
      mode: true,
      startedBy: true,
      message: true,
      createdAt: true,
      startedAt: true,
      finishedAt: true,
      host: { select: { id: true, name: true } },
      _count: { select: { probes: true } },
      optionsJson: true,
    },
  });
  return runs.map(({ optionsJson, ...run }) => {
    // One damaged row is not the whole list's failure: it reads as unknown here, and its Run page says why.
    const options = runOptionsSchema.safeParse(safeJson(optionsJson));
    return options.success
      ? { ...run, scope: describeRunScope(options.data), modelKeys: options.data.modelKeys }
      : { ...run, scope: "unknown (options unreadable)", modelKeys: [] };
  });
}

/** One run with its host and its options (parsed: a stored run whose options do not parse is the server's fault). */
export async function readRun({ prisma }: Pick<Database, "prisma">, id: number) {
  const run = await prisma.run.findUnique({
    where: { id },
    select: {
      id: true,
      status: true,
      mode: true,
      optionsJson: true,
      startedBy: true,
      message: true,
      createdAt: true,
      startedAt: true,
      finishedAt: true,
      host: { select: { id: true, name: true, url: true } },
    },
  });
  if (!run) return null;
  const { optionsJson, ...rest } = run;
  return { ...rest, options: runOptionsSchema.parse(JSON.parse(optionsJson)) };
}
