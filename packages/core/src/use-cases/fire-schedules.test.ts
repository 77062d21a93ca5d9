import { describe, expect, it } from "vitest";
import type { ModelSummary } from "../domain/model";
import type { Schedule } from "../domain/schedule";
import type { ScheduleStore } from "../ports/schedule-store";
import type { HostLease, RunRecord } from "../ports/store";
import { type FireSchedulesDeps, fireDueSchedules } from "./fire-schedules";
import { staleModels } from "./retest-stale";

const CREATED = new Date("2026-12-06T12:00:00Z");
const AT_THREE = new Date("2026-12-07T03:00:30Z");

const measured = (
  modelKey: string,
  version: string | null,
  extra: Partial<ModelSummary> = {},
): ModelSummary =>
  ({
    modelKey,
    type: "llm",
    isPresent: true,
    testStatus: "completed",
    sizeBytes: 1_000,
    modifiedAt: null,
    measuredLmStudioVersion: version,
    measuredSizeBytes: 1_000,
    measuredModifiedAt: null,
    effectiveLimit: null,
    ...extra,
  }) as ModelSummary;

/** One host (id 1) with schedules, models, runs and a lease, all in memory; records what was queued. */
function world(options: {
  schedules: Partial<Schedule>[];
  rows?: ModelSummary[];
  pendingRuns?: RunRecord[];
  lease?: HostLease | null;
  hostEnabled?: boolean;
}) {
  const schedules: Schedule[] = options.schedules.map((partial, index) => ({
    id: index + 1,
    hostId: 1,
    cron: "0 3 * * *",
    action: "test-all",
    enabled: true,
    lastRunAt: null,
    lastOutcome: null,
    createdAt: CREATED,
    ...partial,
  }));
  const queued: { mode: string; modelKeys: string[]; reset: boolean; startedBy: string }[] = [];
  const scheduleStore: ScheduleStore = {
    listSchedules: async () => schedules.map((schedule) => ({ ...schedule })),
    getSchedule: async (id) => schedules.find((schedule) => schedule.id === id) ?? null,
    createSchedule: async () => {
      throw new Error("not used");
    },
    removeSchedule: async () => false,
    setScheduleEnabled: async () => null,
    recordScheduleFired: async (id, at, outcome) => {
      const schedule = schedules.find((candidate) => candidate.id === id)!;
      schedule.lastRunAt = at;
      schedule.lastOutcome = outcome;
    },
  };
  let nextRunId = 10;
  const create = async (input: { mode: string; options: RunRecord["options"]; startedBy: string }) => {
    queued.push({
      mode: input.mode,
      modelKeys: input.options.modelKeys,
      reset: input.options.reset,
      startedBy: input.startedBy,
    });
    return { id: nextRunId++, ...input } as unknown as RunRecord;
  };
  const store: FireSchedulesDeps["store"] = {
    getHost: async (id) =>
      id === 1
        ? {
            id,
            name: "gpu-box",
            url: "ws://x:1",
            enabled: options.hostEnabled ?? true,
            lmstudioHome: null,
            lmStudioVersion: "0.4.21",
          }
        : null,
    getHostLease: async () => options.lease ?? null,
    listRuns: async () => options.pendingRuns ?? [],
    // One tested model unless a test gives its own.
    listModels: async () => options.rows ?? [measured("tested", "0.4.21")],
    createRun: create,
    createRunUnlessPending: async (input) => ({ created: true, run: await create(input) }),
    appendEvent: async () => ({}) as never,
  };
  const fire = (now: Date) =>
    fireDueSchedules({ schedules: scheduleStore, store, now, leaseStaleMs: 30_000, timezone: "UTC" });
  return { fire, queued, schedules };
}

describe("firing due schedules", () => {
  it("queues a test of every model (measured anew) when a test-all schedule's time has come", async () => {
    const { fire, queued, schedules } = world({ schedules: [{ action: "test-all" }] });
    expect(await fire(new Date("2026-12-07T02:59:00Z"))).toEqual([]);
    const firings = await fire(AT_THREE);
    expect(firings).toEqual([
      { scheduleId: 1, hostId: 1, outcome: "queued", runId: 10, description: "queued run #10" },
    ]);
    expect(queued).toEqual([{ mode: "all", modelKeys: [], reset: true, startedBy: "schedule #1" }]);
    expect(schedules[0]).toMatchObject({ lastRunAt: AT_THREE, lastOutcome: "queued run #10" });
  });

  it("fires once at start for the times missed while the server was down, then waits for the next", async () => {
    const { fire, queued } = world({ schedules: [{ lastRunAt: new Date("2026-12-01T03:00:00Z") }] });
    const start = new Date("2026-12-07T09:00:00Z");
    expect(await fire(start)).toHaveLength(1);
    expect(await fire(new Date("2026-12-07T09:00:01Z"))).toEqual([]);
    expect(await fire(new Date("2026-12-08T02:59:00Z"))).toEqual([]);
    expect(queued).toHaveLength(1);
  });

  it("re-tests only the present models whose results are stale", async () => {
    const { fire, queued } = world({
      schedules: [{ action: "retest-stale" }],
      rows: [
        measured("old-version", "0.3.20"),
        measured("same-version", "0.4.21"),
        measured("never-measured-under", null),
        measured("new-file", "0.4.21", { sizeBytes: 2_000 }),
        measured("gone", "0.3.20", { isPresent: false }),
      ],
    });
    await fire(AT_THREE);
    expect(queued).toEqual([
      { mode: "single", modelKeys: ["old-version", "new-file"], reset: false, startedBy: "schedule #1" },
    ]);
  });

  it("skips a re-test when nothing is stale", async () => {
    const { fire, queued, schedules } = world({
      schedules: [{ action: "retest-stale" }],
      rows: [measured("same-version", "0.4.21")],
    });
    expect((await fire(AT_THREE))[0]).toMatchObject({
      outcome: "skipped",
      description: "skipped: no stale models",
    });
    expect(queued).toEqual([]);
    expect(schedules[0]?.lastRunAt).toEqual(AT_THREE);
  });

  it("skips a busy host rather than queueing a second run on it", async () => {
    const leased = world({
      schedules: [{}],
      lease: { hostId: 1, holder: "cli:box:1", runId: 4, heartbeatAt: new Date() },
    });
    expect((await leased.fire(AT_THREE))[0]?.description).toBe("skipped: host busy (run #4)");
    const queuedAlready = world({ schedules: [{}], pendingRuns: [{ id: 7, status: "queued" } as RunRecord] });
    expect((await queuedAlready.fire(AT_THREE))[0]?.description).toBe("skipped: host busy (run #7)");
    expect([...leased.queued, ...queuedAlready.queued]).toEqual([]);
  });

  it("skips a disabled host and leaves a disabled schedule alone", async () => {
    const disabledHost = world({ schedules: [{}], hostEnabled: false });
    expect((await disabledHost.fire(AT_THREE))[0]?.description).toBe("skipped: host disabled");
    const disabled = world({ schedules: [{ enabled: false }] });
    expect(await disabled.fire(AT_THREE)).toEqual([]);
  });
});

it("fires the other schedules when one's stored expression does not parse", async () => {
  const { fire, queued } = world({ schedules: [{ cron: "not a cron" }, {}] });
  expect((await fire(AT_THREE)).map((firing) => firing.scheduleId)).toEqual([2]);
  expect(queued).toHaveLength(1);
});

describe("stale models", () => {
  it("never counts an untested model as stale", () => {
    expect(
      staleModels([measured("untested", "0.3.20", { testStatus: "untested" })], {
        lmStudioVersion: "0.4.21",
      }),
    ).toEqual([]);
  });
});
