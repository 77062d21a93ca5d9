import "server-only";
import { type RunStatus, runOptionsSchema } from "@lmstrix/core";
import type { Database } from "@lmstrix/db";

/** Newest runs first (optionally of one host, or with one status), with how many probes each made. */
export function readRunList(
  { prisma }: Pick<Database, "prisma">,
  filter: { hostId?: number; status?: RunStatus; take: number },
) {
  return prisma.run.findMany({
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
    },
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
