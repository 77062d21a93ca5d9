import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTempDatabase } from "../../test/support/temp-database";
import { PrismaNotificationStore } from "../notifications/notification-store";
import { PrismaStore } from "../prisma-store";
import { createSnapshot, restoreSnapshot } from "../snapshots";
import { PrismaScheduleStore } from "./schedule-store";

describe("schedules and notifications in SQLite", () => {
  let db: Awaited<ReturnType<typeof openTempDatabase>>;
  let store: PrismaStore;
  let schedules: PrismaScheduleStore;
  let hostId: number;
  const createdAt = new Date("2026-12-07T01:00:00Z");

  beforeEach(async () => {
    db = await openTempDatabase();
    store = new PrismaStore(db.prisma);
    schedules = new PrismaScheduleStore(db.prisma);
    hostId = (await store.ensureHost("gpu-box", "ws://127.0.0.1:1234")).id;
  });
  afterEach(async () => {
    await db.dispose();
  });

  it("keeps a schedule, when it fired and what it did, and drops it with its host", async () => {
    const added = await schedules.createSchedule({
      hostId,
      cron: "0 3 * * *",
      action: "retest-stale",
      enabled: true,
      createdAt,
    });
    expect(added).toEqual({
      id: added.id,
      hostId,
      cron: "0 3 * * *",
      action: "retest-stale",
      enabled: true,
      lastRunAt: null,
      lastOutcome: null,
      createdAt,
    });
    const firedAt = new Date("2026-12-07T03:00:00Z");
    await schedules.recordScheduleFired(added.id, firedAt, "queued run #4");
    expect(await schedules.getSchedule(added.id)).toMatchObject({
      lastRunAt: firedAt,
      lastOutcome: "queued run #4",
    });
    expect((await schedules.setScheduleEnabled(added.id, false))?.enabled).toBe(false);
    expect(await schedules.setScheduleEnabled(999, false)).toBeNull();
    await store.removeHost(hostId);
    expect(await schedules.listSchedules()).toEqual([]);
    expect(await schedules.removeSchedule(added.id)).toBe(false);
  });

  it("keeps a host's webhook URL and the deliveries that failed", async () => {
    const notifications = new PrismaNotificationStore(db.prisma);
    expect(await notifications.hostWebhookUrl(hostId)).toBeNull();
    expect(await notifications.setHostWebhookUrl(hostId, "http://127.0.0.1:9/hook")).toBe(true);
    expect(await notifications.hostWebhookUrl(hostId)).toBe("http://127.0.0.1:9/hook");
    const failure = {
      hostId,
      runId: 3,
      event: "run.finished",
      url: "http://127.0.0.1:9/hook",
      attempts: 4,
      error: "HTTP 500",
    };
    await notifications.recordWebhookFailure(failure);
    expect(await notifications.listWebhookFailures()).toMatchObject([failure]);
  });

  it("restores schedules with the rest of the data from a snapshot", async () => {
    await schedules.createSchedule({
      hostId,
      cron: "0 3 * * *",
      action: "test-all",
      enabled: true,
      createdAt,
    });
    const snapshot = await createSnapshot(db, "manual");
    await schedules.createSchedule({
      hostId,
      cron: "0 4 * * *",
      action: "test-all",
      enabled: true,
      createdAt,
    });
    await restoreSnapshot(db, snapshot.name);
    expect((await schedules.listSchedules()).map((schedule) => schedule.cron)).toEqual(["0 3 * * *"]);
  });
});
