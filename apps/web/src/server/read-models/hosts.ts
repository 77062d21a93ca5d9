import "server-only";
import type { Database } from "@lmstrix/db";

/** The Hosts page's list: each host with the lease on it (who runs what there) and its present models' count. */
export async function readHostList({ prisma }: Pick<Database, "prisma">) {
  const hosts = await prisma.host.findMany({
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      url: true,
      enabled: true,
      lmstudioHome: true,
      lease: { select: { holder: true, runId: true, heartbeatAt: true } },
      _count: { select: { models: { where: { isPresent: true } } } },
    },
  });
  return hosts.map(({ _count, ...host }) => ({ ...host, modelCount: _count.models }));
}
