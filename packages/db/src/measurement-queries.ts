import type { LimitChangeRecord, NewLimitChange, ProbeRecord } from "@lmstrix/core";
import type { PrismaClient } from "@prisma/client";
import { recordLimitChange } from "./limit-changes";
import { toProbeRecord } from "./mappers";

/**
 * The `Store` methods about what a model's limits were measured from and under: the LM Studio version of each
 * run and host, every probe of a model, and the limit changes re-tests found. `PrismaStore` extends it, so they are store methods like the others.
 */
export class MeasurementQueries {
  constructor(protected readonly prisma: PrismaClient) {}

  async setRunLmStudioVersion(runId: number, version: string): Promise<void> {
    await this.prisma.run.updateMany({ where: { id: runId }, data: { lmStudioVersion: version } });
  }

  async setHostLmStudioVersion(hostId: number, version: string): Promise<void> {
    await this.prisma.host.updateMany({ where: { id: hostId }, data: { lmStudioVersion: version } });
  }

  recordLimitChange(input: NewLimitChange): Promise<LimitChangeRecord> {
    return recordLimitChange(this.prisma, input);
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
