import type { ProbeRecord } from "@lmstrix/core";
import type { PrismaClient } from "@prisma/client";
import { toProbeRecord } from "./mappers";

/**
 * The `Store` methods about what a model's limits were measured from: the LM Studio version of each run and
 * every probe of a model. `PrismaStore` extends it, so they are store methods like the others.
 */
export class MeasurementQueries {
  constructor(protected readonly prisma: PrismaClient) {}

  async setRunLmStudioVersion(runId: number, version: string): Promise<void> {
    await this.prisma.run.updateMany({ where: { id: runId }, data: { lmStudioVersion: version } });
  }

  async listModelProbes(modelId: number): Promise<ProbeRecord[]> {
    const rows = await this.prisma.probe.findMany({ where: { modelId }, orderBy: { id: "asc" } });
    return rows.map(toProbeRecord);
  }

  async listHostProbes(hostId: number): Promise<ProbeRecord[]> {
    const rows = await this.prisma.probe.findMany({ where: { model: { hostId } }, orderBy: { id: "asc" } });
    return rows.map(toProbeRecord);
  }
}
