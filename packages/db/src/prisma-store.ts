import type {
  DownloadedModel,
  HostPatch,
  LoadEvidence,
  ModelFilter,
  ModelSummaryPatch,
  ModelSyncResult,
  PayloadOf,
  ProbeFinish,
  ProbeKind,
  RunEventType,
  RunMode,
  RunOptions,
  RunRecord,
  RunStatus,
  Store,
} from "@lmstrix/core";
import { FINISHED_RUN_STATUSES, isFinishedRunStatus, sameRunOptions } from "@lmstrix/core";
import { BUSY_TIMEOUT_MS } from "./connection-pragmas";
import { listLoadEvidence } from "./load-evidence";
import {
  probeFinishData,
  toHost,
  toModelSummary,
  toProbeRecord,
  toRunEventRow,
  toRunRecord,
} from "./mappers";
import { MeasurementQueries } from "./measurement-queries";
import { modelFileTimes } from "./model-file-times";

/** Thrown inside `createRunUnlessPending`'s transaction to roll the insert back. */
class PendingTwin extends Error {
  constructor(readonly run: RunRecord) {
    super(`run #${run.id} asks for the same`);
  }
}

interface NewRun {
  hostId: number;
  mode: RunMode;
  options: RunOptions;
  startedBy: string;
}

function newRunData(input: NewRun) {
  return {
    hostId: input.hostId,
    mode: input.mode,
    optionsJson: JSON.stringify(input.options),
    startedBy: input.startedBy,
  };
}

/** The `Store` port over Prisma and SQLite (what the measured limits are read from: `MeasurementQueries`). */
export class PrismaStore extends MeasurementQueries implements Store {
  async listHosts() {
    const rows = await this.prisma.host.findMany({ orderBy: { name: "asc" } });
    return rows.map(toHost);
  }

  async getHost(id: number) {
    const row = await this.prisma.host.findUnique({ where: { id } });
    return row ? toHost(row) : null;
  }

  async ensureHost(name: string, url: string, lmstudioHome: string | null = null) {
    const row = await this.prisma.host.upsert({
      where: { name },
      create: { name, url, lmstudioHome },
      update: {},
    });
    return toHost(row);
  }

  async updateHost(id: number, patch: HostPatch) {
    const { count } = await this.prisma.host.updateMany({ where: { id }, data: patch });
    return count > 0 ? this.getHost(id) : null;
  }

  async removeHost(id: number) {
    // Foreign keys cascade (every connection has them on, see connection-pragmas.ts).
    const { count } = await this.prisma.host.deleteMany({ where: { id } });
    return count > 0;
  }

  async syncModels(hostId: number, models: DownloadedModel[], seenAt: Date): Promise<ModelSyncResult> {
    const existing = await this.prisma.model.findMany({ where: { hostId } });
    const byKey = new Map(existing.map((row) => [row.modelKey, row]));
    const host = await this.prisma.host.findUnique({ where: { id: hostId }, select: { lmstudioHome: true } });
    const fileTimes = await modelFileTimes(host?.lmstudioHome ?? null, models);
    const result: ModelSyncResult = { added: [], changed: [], gone: [], unchanged: 0 };
    await this.prisma.$transaction(async (tx) => {
      for (const model of models) {
        const facts = {
          displayName: model.displayName,
          type: model.type,
          format: model.format,
          publisher: model.publisher,
          path: model.path,
          sizeBytes: BigInt(model.sizeBytes),
          architecture: model.architecture,
          quantization: model.quantization,
          params: model.params,
          declaredContext: model.declaredContext,
          vision: model.vision,
          toolUse: model.toolUse,
        };
        const modifiedAt = fileTimes.get(model.modelKey) ?? null;
        const row = byKey.get(model.modelKey);
        byKey.delete(model.modelKey);
        if (!row) {
          await tx.model.create({
            data: {
              ...facts,
              modifiedAt,
              hostId,
              modelKey: model.modelKey,
              firstSeenAt: seenAt,
              lastSeenAt: seenAt,
            },
          });
          result.added.push(model.modelKey);
          continue;
        }
        const isChanged =
          !row.isPresent ||
          row.modifiedAt?.getTime() !== modifiedAt?.getTime() ||
          (Object.keys(facts) as (keyof typeof facts)[]).some((key) => row[key] !== facts[key]);
        await tx.model.update({
          where: { id: row.id },
          data: { ...facts, modifiedAt, isPresent: true, lastSeenAt: seenAt },
        });
        if (isChanged) result.changed.push(model.modelKey);
        else result.unchanged += 1;
      }
      for (const row of byKey.values()) {
        if (!row.isPresent) continue;
        await tx.model.update({ where: { id: row.id }, data: { isPresent: false } });
        result.gone.push(row.modelKey);
      }
    });
    return result;
  }

  async listModels(filter: ModelFilter = {}) {
    const rows = await this.prisma.model.findMany({
      where: {
        hostId: filter.hostId,
        type: filter.type,
        testStatus: filter.status,
        isPresent: filter.isPresent,
      },
      orderBy: [{ hostId: "asc" }, { modelKey: "asc" }],
    });
    return rows.map(toModelSummary);
  }

  async getModel(hostId: number, modelKey: string) {
    const row = await this.prisma.model.findUnique({ where: { hostId_modelKey: { hostId, modelKey } } });
    return row ? toModelSummary(row) : null;
  }

  async updateModelSummary(modelId: number, patch: ModelSummaryPatch) {
    await this.prisma.model.update({ where: { id: modelId }, data: patch });
  }

  async createRun(input: NewRun) {
    return toRunRecord(await this.prisma.run.create({ data: newRunData(input) }));
  }

  async createRunUnlessPending(input: NewRun) {
    try {
      // Insert first: from that write on the transaction holds SQLite's write lock, so no other connection or
      // process can add a twin between the check below and the commit. A twin found rolls the insert back.
      const run = await this.prisma.$transaction(
        async (tx) => {
          const row = await tx.run.create({ data: newRunData(input) });
          const older = await tx.run.findMany({
            where: {
              hostId: input.hostId,
              mode: input.mode,
              id: { lt: row.id },
              status: { notIn: [...FINISHED_RUN_STATUSES] },
            },
            orderBy: { id: "asc" },
          });
          const twin = older.map(toRunRecord).find((other) => sameRunOptions(other.options, input.options));
          if (twin) throw new PendingTwin(twin);
          return toRunRecord(row);
        },
        // Other connections may hold the write lock for up to the busy timeout.
        { maxWait: BUSY_TIMEOUT_MS, timeout: 2 * BUSY_TIMEOUT_MS },
      );
      return { run, created: true };
    } catch (error) {
      if (error instanceof PendingTwin) return { run: error.run, created: false };
      throw error;
    }
  }

  async getRun(id: number) {
    const row = await this.prisma.run.findUnique({ where: { id } });
    return row ? toRunRecord(row) : null;
  }

  async listRuns(filter: { hostId?: number; statuses?: RunStatus[] }) {
    const rows = await this.prisma.run.findMany({
      where: { hostId: filter.hostId, status: filter.statuses ? { in: [...filter.statuses] } : undefined },
      orderBy: { id: "asc" },
    });
    return rows.map(toRunRecord);
  }

  async setRunStatus(id: number, status: RunStatus, message?: string | null) {
    const now = new Date();
    // A resumed run keeps the time it first started (its duration then spans the interruption too).
    const isFirstStart =
      status === "running" &&
      (await this.prisma.run.findUnique({ where: { id }, select: { startedAt: true } }))?.startedAt === null;
    const row = await this.prisma.run.update({
      where: { id },
      data: {
        status,
        message,
        startedAt: isFirstStart ? now : undefined,
        finishedAt: isFinishedRunStatus(status) ? now : undefined,
      },
    });
    return toRunRecord(row);
  }

  async startProbe(input: {
    runId: number;
    modelId: number;
    contextRequested: number;
    kind: ProbeKind;
    reuseProbeId?: number;
  }) {
    const { reuseProbeId, ...data } = input;
    const row = await this.prisma.$transaction(async (tx) => {
      // Write first: a transaction that reads before its first write can fail with SQLITE_BUSY when another
      // process commits in between, whatever the busy timeout; after a write it holds the lock.
      await tx.model.update({ where: { id: input.modelId }, data: { testStatus: "testing" } });
      if (reuseProbeId !== undefined) {
        await tx.model.update({
          where: { id: input.modelId },
          data: { lastBadContext: input.contextRequested },
        });
        return tx.probe.update({
          where: { id: reuseProbeId },
          data: { startedAt: new Date(), finishedAt: null },
        });
      }
      const model = await tx.model.findUniqueOrThrow({
        where: { id: input.modelId },
        select: { lastBadContext: true, sizeBytes: true, modifiedAt: true },
      });
      const run = await tx.run.findUnique({ where: { id: input.runId }, select: { lmStudioVersion: true } });
      await tx.model.update({
        where: { id: input.modelId },
        data: { lastBadContext: input.contextRequested },
      });
      return tx.probe.create({
        data: {
          ...data,
          previousBadContext: model.lastBadContext,
          // What the probe runs under, so the history tells measurements under other conditions apart.
          lmStudioVersion: run?.lmStudioVersion ?? null,
          modelSizeBytes: Number(model.sizeBytes),
          modelModifiedAt: model.modifiedAt,
        },
      });
    });
    return toProbeRecord(row);
  }

  async finishProbe(id: number, result: ProbeFinish) {
    const row = await this.prisma.probe.update({
      where: { id },
      data: { ...probeFinishData(result), finishedAt: new Date() },
    });
    return toProbeRecord(row);
  }

  async listRunProbes(runId: number) {
    const rows = await this.prisma.probe.findMany({ where: { runId }, orderBy: { id: "asc" } });
    return rows.map(toProbeRecord);
  }

  listLoadEvidence(hostId: number): Promise<LoadEvidence[]> {
    return listLoadEvidence(this.prisma, hostId);
  }

  async appendEvent<T extends RunEventType>(runId: number, type: T, payload: PayloadOf<T>) {
    const row = await this.prisma.runEvent.create({
      data: { runId, type, payloadJson: JSON.stringify(payload) },
    });
    return toRunEventRow(row);
  }

  async listEventsAfter(runId: number, afterId: number, limit: number) {
    const rows = await this.prisma.runEvent.findMany({
      where: { runId, id: { gt: afterId } },
      orderBy: { id: "asc" },
      take: limit,
    });
    return rows.map(toRunEventRow);
  }

  async acquireHostLease(hostId: number, holder: string, runId: number | null, staleAfterMs: number) {
    const now = new Date();
    const staleBefore = new Date(now.getTime() - staleAfterMs);
    // One statement, so two processes racing cannot both win: SQLite serialises writers.
    const changed = await this.prisma.$executeRaw`
      INSERT INTO "HostLease" ("hostId", "holder", "runId", "heartbeatAt") VALUES (${hostId}, ${holder}, ${runId}, ${now})
      ON CONFLICT ("hostId") DO UPDATE SET "holder" = excluded."holder", "runId" = excluded."runId",
        "heartbeatAt" = excluded."heartbeatAt"
      WHERE "HostLease"."holder" = excluded."holder" OR "HostLease"."heartbeatAt" < ${staleBefore}`;
    return changed > 0;
  }

  async getHostLease(hostId: number) {
    return this.prisma.hostLease.findUnique({ where: { hostId } });
  }

  async renewHostLease(hostId: number, holder: string) {
    const { count } = await this.prisma.hostLease.updateMany({
      where: { hostId, holder },
      data: { heartbeatAt: new Date() },
    });
    return count > 0;
  }

  async releaseHostLease(hostId: number, holder: string) {
    await this.prisma.hostLease.deleteMany({ where: { hostId, holder } });
  }
}
