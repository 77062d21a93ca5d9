import { rmSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openTempDatabase } from "../test/support/temp-database";
import { checkHealth, type HealthProblem, repairHealth } from "./health";
import { readMigrations } from "./migrate";
import { createSnapshot, snapshotsDir } from "./snapshots";

type TempDatabase = Awaited<ReturnType<typeof openTempDatabase>>;
const open: TempDatabase[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) await db.dispose();
});

async function tempDatabase(): Promise<TempDatabase> {
  const db = await openTempDatabase();
  open.push(db);
  return db;
}

const STALE_MS = 30_000;

/** One of every problem the health check knows, next to cases that must not be reported. */
async function seedProblems(db: TempDatabase) {
  const prisma = db.prisma;
  const host = await prisma.host.create({ data: { name: "gpu-1", url: "ws://10.0.0.1:1234" } });
  const other = await prisma.host.create({ data: { name: "gpu-2", url: "ws://10.0.0.2:1234" } });
  const model = (modelKey: string, data: Record<string, unknown> = {}, hostId = host.id) =>
    prisma.model.create({
      data: {
        hostId,
        modelKey,
        displayName: modelKey,
        type: "llm",
        path: `${modelKey}.gguf`,
        sizeBytes: 1n,
        declaredContext: 32_768,
        ...data,
      },
    });
  const zeroContext = await model("zero-context", { declaredContext: 0 });
  const unproven = await model("unproven", { loadableLimit: 40_000, testStatus: "completed" });
  const proven = await model("proven", { loadableLimit: 40_000, testStatus: "completed" });
  const goodAboveBad = await model("good-above-bad", {
    lastGoodContext: 50_000,
    lastBadContext: 40_000,
    loadableLimit: 30_000,
    testStatus: "completed",
  });
  const oddType = await model("odd-type", { type: "vision-llm" });
  const resumable = await model("resumable", { testStatus: "testing" });
  const live = await model("live", { testStatus: "testing" }, other.id);
  const closedRunModel = await model("closed-run", { testStatus: "completed", loadableLimit: 8192 });
  const orphanUntested = await model("orphan-untested", { testStatus: "testing" });
  const orphanCompleted = await model("orphan-completed", { testStatus: "testing", loadableLimit: 8192 });
  const orphanFailed = await model("orphan-failed", { testStatus: "testing", errorCategory: "LOAD_FAILED" });

  const done = await prisma.run.create({ data: { hostId: host.id, mode: "all", status: "completed" } });
  await prisma.probe.create({
    data: {
      runId: done.id,
      modelId: proven.id,
      contextRequested: 40_000,
      contextApplied: 40_000,
      outcome: "pass",
    },
  });
  const closedProbe = await prisma.probe.create({
    data: { runId: done.id, modelId: closedRunModel.id, contextRequested: 16_384 },
  });
  // Running, but its worker is gone: no lease.
  const stale = await prisma.run.create({ data: { hostId: host.id, mode: "all", status: "running" } });
  const staleProbe = await prisma.probe.create({
    data: { runId: stale.id, modelId: resumable.id, contextRequested: 24_000 },
  });
  // Running with a live lease: nothing to report.
  const running = await prisma.run.create({ data: { hostId: other.id, mode: "single", status: "running" } });
  await prisma.probe.create({ data: { runId: running.id, modelId: live.id, contextRequested: 8192 } });
  await prisma.hostLease.create({
    data: { hostId: other.id, holder: "web:box:1", runId: running.id, heartbeatAt: new Date() },
  });
  const snapshot = await createSnapshot(db, "manual");
  rmSync(path.join(snapshotsDir(db.dataDir), snapshot.name));
  return {
    host,
    zeroContext,
    unproven,
    proven,
    goodAboveBad,
    oddType,
    resumable,
    live,
    closedProbe,
    stale,
    staleProbe,
    running,
    orphanUntested,
    orphanCompleted,
    orphanFailed,
    snapshot,
  };
}

const byKind = (problems: HealthProblem[], kind: HealthProblem["kind"]) =>
  problems.filter((problem) => problem.kind === kind);

describe("checkHealth", () => {
  it("says ok for a fresh database, with its path, size and migration", async () => {
    const db = await tempDatabase();
    const report = await checkHealth(db, { leaseStaleMs: STALE_MS });
    const latest = (await readMigrations()).at(-1)?.name;
    expect(report).toMatchObject({
      status: "ok",
      problems: [],
      integrity: { ok: true, result: ["ok"], foreignKeyViolations: [] },
      database: { path: db.file, migrationVersion: latest, latestMigration: latest, pendingMigrations: [] },
      counts: { hosts: 0, models: 0, runs: 0, probes: 0 },
      snapshots: [],
    });
    expect(report.database.sizeBytes).toBeGreaterThan(0);
  });

  it("reports each kind of problem with a message and the ids involved", async () => {
    const db = await tempDatabase();
    const seeded = await seedProblems(db);
    const report = await checkHealth(db, { leaseStaleMs: STALE_MS });
    expect(report.status).toBe("error");
    const { problems } = report;
    expect(byKind(problems, "context-out-of-range")).toEqual([
      expect.objectContaining({
        severity: "error",
        message: 'Model "zero-context" on host "gpu-1": declared context 0 is outside 1..10,000,000',
        ids: { hostId: seeded.host.id, modelId: seeded.zeroContext.id, modelKey: "zero-context" },
      }),
    ]);
    expect(byKind(problems, "unproven-limit")).toEqual([
      expect.objectContaining({
        ids: expect.objectContaining({ modelKey: "unproven" }),
        message: expect.stringMatching(/loadable limit 40,000 is above the declared 32,768/),
      }),
    ]);
    expect(byKind(problems, "good-not-below-bad")).toEqual([
      expect.objectContaining({
        ids: expect.objectContaining({ modelKey: "good-above-bad" }),
        message: expect.stringMatching(/last known good 50,000 is not below last known bad 40,000/),
      }),
    ]);
    expect(byKind(problems, "invalid-value")).toEqual([
      expect.objectContaining({
        message: `Model #${seeded.oddType.id}: type "vision-llm" is not one of llm, embedding`,
      }),
    ]);
    expect(byKind(problems, "stale-running-run")).toEqual([
      expect.objectContaining({
        repairable: true,
        ids: { hostId: seeded.host.id, runId: seeded.stale.id },
        message: expect.stringMatching(
          new RegExp(
            `^Run #${seeded.stale.id} on host "gpu-1" is marked running but no process holds the host's lease`,
          ),
        ),
      }),
    ]);
    expect(byKind(problems, "open-probe")).toEqual([
      expect.objectContaining({
        severity: "warning",
        repairable: true,
        ids: expect.objectContaining({ probeId: seeded.closedProbe.id }),
      }),
    ]);
    expect(
      byKind(problems, "orphan-testing").map((problem) => [problem.ids.modelKey, problem.severity]),
    ).toEqual([
      ["resumable", "info"],
      ["orphan-untested", "warning"],
      ["orphan-completed", "warning"],
      ["orphan-failed", "warning"],
    ]);
    expect(byKind(problems, "snapshot-missing")).toEqual([
      expect.objectContaining({ ids: { snapshot: seeded.snapshot.name } }),
    ]);
    expect(report.snapshots).toEqual([
      expect.objectContaining({ name: seeded.snapshot.name, missing: true }),
    ]);
    // Nothing about the healthy cases: the proven limit, the live run and its model.
    const mentioned = problems.map((problem) => problem.ids.modelKey ?? problem.ids.runId);
    expect(mentioned).not.toContain("proven");
    expect(mentioned).not.toContain("live");
    expect(mentioned).not.toContain(seeded.running.id);
  });

  it("counts a lease for another run or with an old heartbeat as dead", async () => {
    const db = await tempDatabase();
    const host = await db.prisma.host.create({ data: { name: "h", url: "ws://127.0.0.1:1234" } });
    const run = await db.prisma.run.create({ data: { hostId: host.id, mode: "all", status: "running" } });
    const lease = await db.prisma.hostLease.create({
      data: {
        hostId: host.id,
        holder: "cli:box:7",
        runId: run.id,
        heartbeatAt: new Date(Date.now() - 5 * 60_000),
      },
    });
    const stale = await checkHealth(db, { leaseStaleMs: STALE_MS });
    expect(byKind(stale.problems, "stale-running-run")[0]?.message).toMatch(
      /its worker cli:box:7 last sent a heartbeat 5 min ago/,
    );
    expect(
      byKind((await checkHealth(db, { leaseStaleMs: 10 * 60_000 })).problems, "stale-running-run"),
    ).toEqual([]);
    await db.prisma.hostLease.update({
      where: { hostId: lease.hostId },
      data: { runId: null, heartbeatAt: new Date() },
    });
    const other = await checkHealth(db, { leaseStaleMs: STALE_MS });
    expect(byKind(other.problems, "stale-running-run")[0]?.message).toMatch(
      /the host's lease is held by cli:box:7 for no run/,
    );
  });

  it("reports broken foreign keys", async () => {
    const db = await tempDatabase();
    const host = await db.prisma.host.create({ data: { name: "h", url: "ws://127.0.0.1:1234" } });
    const run = await db.prisma.run.create({ data: { hostId: host.id, mode: "all", status: "completed" } });
    await db.prisma.$executeRawUnsafe("PRAGMA foreign_keys = OFF");
    await db.prisma.$executeRawUnsafe(
      `INSERT INTO "Probe" (runId, modelId, contextRequested, outcome) VALUES (${run.id}, 999, 2048, 'pass')`,
    );
    await db.prisma.$executeRawUnsafe("PRAGMA foreign_keys = ON");
    const report = await checkHealth(db, { leaseStaleMs: STALE_MS });
    expect(report.status).toBe("error");
    expect(report.integrity.foreignKeyViolations).toEqual([{ table: "Probe", rowId: 1, parent: "Model" }]);
    expect(byKind(report.problems, "foreign-key")).toEqual([
      expect.objectContaining({
        message: "1 Probe row points at a Model that does not exist",
        ids: { table: "Probe", rowIds: [1] },
      }),
    ]);
  });
});

describe("repairHealth", () => {
  it("fixes what is safe after a before-repair snapshot, and says what it changed", async () => {
    const db = await tempDatabase();
    const seeded = await seedProblems(db);
    const result = await repairHealth(db, { leaseStaleMs: STALE_MS });
    expect(result.snapshot).toMatchObject({ reason: "before-repair", missing: false });
    expect(
      result.changes.map((change) => [
        change.kind,
        change.ids.runId ?? change.ids.modelKey ?? change.ids.probeId,
      ]),
    ).toEqual([
      ["run-interrupted", seeded.stale.id],
      ["model-settled", "orphan-untested"],
      ["model-settled", "orphan-completed"],
      ["model-settled", "orphan-failed"],
      ["probe-cancelled", seeded.closedProbe.runId],
    ]);
    expect(result.changes[1]?.message).toBe(
      'Model "orphan-untested" on host "gpu-1" was stuck at "testing": now "untested"',
    );

    const prisma = db.prisma;
    expect(await prisma.run.findUnique({ where: { id: seeded.stale.id } })).toMatchObject({
      status: "interrupted",
    });
    expect(await prisma.runEvent.findMany({ where: { runId: seeded.stale.id } })).toEqual([
      expect.objectContaining({ type: "run.interrupted" }),
    ]);
    const status = async (id: number) => (await prisma.model.findUniqueOrThrow({ where: { id } })).testStatus;
    expect(await status(seeded.orphanUntested.id)).toBe("untested");
    expect(await status(seeded.orphanCompleted.id)).toBe("completed");
    expect(await status(seeded.orphanFailed.id)).toBe("failed");
    // Held by the run that will resume, or by the live one: left alone.
    expect(await status(seeded.resumable.id)).toBe("testing");
    expect(await status(seeded.live.id)).toBe("testing");
    expect(await prisma.run.findUnique({ where: { id: seeded.running.id } })).toMatchObject({
      status: "running",
    });
    expect(await prisma.probe.findUnique({ where: { id: seeded.closedProbe.id } })).toMatchObject({
      outcome: "cancelled",
      errorMessage: expect.stringMatching(/before this probe finished/),
      finishedAt: expect.any(Date),
    });
    expect(await prisma.probe.findUnique({ where: { id: seeded.staleProbe.id } })).toMatchObject({
      outcome: null,
    });

    const after = await checkHealth(db, { leaseStaleMs: STALE_MS });
    const repairable = after.problems.filter((problem) => problem.repairable);
    expect(repairable).toEqual([]);
    expect(byKind(after.problems, "open-probe")).toEqual([
      expect.objectContaining({
        severity: "info",
        ids: expect.objectContaining({ probeId: seeded.staleProbe.id }),
      }),
    ]);
    expect(await repairHealth(db, { leaseStaleMs: STALE_MS })).toEqual({ snapshot: null, changes: [] });
  });
});
