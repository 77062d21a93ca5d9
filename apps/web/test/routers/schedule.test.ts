import { isFinishedRunStatus } from "@lmstrix/core";
import { describe, expect, it } from "vitest";
import type { ZodError } from "zod";
import { refusal, routerHarness, waitUntil } from "../support/router-caller";

// The scheduler's clock stands at 02:50 UTC until the test moves it. "*/15 * * * *" names the same instants in
// every time zone whose offset is a multiple of 15 minutes, so the test holds whatever TZ the machine has.
const harness = routerHarness(undefined, { LMSTRIX_TEST_CLOCK: "2030-01-07T02:50:00Z" });

describe("schedule router", () => {
  it("adds, lists, disables and removes a host's schedules", async () => {
    const api = harness.caller();
    const hostId = harness.localHostId;
    const added = await api.schedule.create({ hostId, cron: "0 3 * * *", action: "retest-stale" });
    expect(added).toMatchObject({
      hostId,
      cron: "0 3 * * *",
      action: "retest-stale",
      enabled: true,
      lastRunAt: null,
    });
    expect(added.createdAt.toISOString()).toBe("2030-01-07T02:50:00.000Z");
    // The same action at the same times once more would only ever be skipped: refused, nothing added.
    const twin = await refusal(api.schedule.create({ hostId, cron: "0 3 * * *", action: "retest-stale" }));
    expect(twin.code).toBe("BAD_REQUEST");
    expect(twin.message).toBe(
      `Could not add the schedule: local has this schedule already (#${added.id}: retest-stale at "0 3 * * *")`,
    );
    expect(
      (await api.schedule.list({ hostId })).filter((schedule) => schedule.cron === "0 3 * * *"),
    ).toHaveLength(1);
    expect((await api.schedule.update({ id: added.id, enabled: false })).enabled).toBe(false);
    expect((await api.schedule.list({ hostId })).map((schedule) => schedule.id)).toContain(added.id);
    await api.schedule.delete({ id: added.id });
    expect((await api.schedule.list({ hostId })).map((schedule) => schedule.id)).not.toContain(added.id);
    expect((await refusal(api.schedule.delete({ id: added.id }))).code).toBe("NOT_FOUND");
  });

  it("refuses a bad cron expression or action with a message that names the field", async () => {
    const api = harness.caller();
    const hostId = harness.localHostId;
    const badCron = await refusal(api.schedule.create({ hostId, cron: "0 25 * * *", action: "test-all" }));
    expect(badCron.code).toBe("BAD_REQUEST");
    expect((badCron.cause as ZodError).issues).toMatchObject([
      {
        path: ["cron"],
        message:
          'cron: "0 25 * * *" is not a cron expression (Invalid value for hour: 25); e.g. "0 3 * * *" is every night at 03:00',
      },
    ]);
    const badAction = await refusal(
      api.schedule.create({ hostId, cron: "0 3 * * *", action: "test-some" as "test-all" }),
    );
    expect((badAction.cause as ZodError).issues).toMatchObject([
      { path: ["action"], message: expect.stringContaining('action: must be "test-all"') },
    ]);
    expect(
      (await refusal(api.schedule.create({ hostId: 999, cron: "0 3 * * *", action: "test-all" }))).code,
    ).toBe("NOT_FOUND");
  });

  it("fires a due schedule once when the clock reaches its time, and skips it while the host is busy", async () => {
    const api = harness.caller();
    const hostId = harness.localHostId;
    await api.host.scan({ id: hostId });
    const schedule = await api.schedule.create({ hostId, cron: "*/15 * * * *", action: "test-all" });
    expect(await api.schedule.setTestTime({ at: "2030-01-07T02:59:00Z" })).toEqual([]);
    const [fired] = await api.schedule.setTestTime({ at: "2030-01-07T03:00:10Z" });
    expect(fired).toMatchObject({ scheduleId: schedule.id, outcome: "queued" });
    const runId = fired?.outcome === "queued" ? fired.runId : 0;
    // The next time comes while that run is still queued or running: skipped, not piled up.
    const [skipped] = await api.schedule.setTestTime({ at: "2030-01-07T03:15:00Z" });
    expect(skipped?.description).toMatch(/^skipped: host busy \(run #\d+\)$/);
    // Same time again: nothing more is due.
    expect(await api.schedule.setTestTime({ at: "2030-01-07T03:15:00Z" })).toEqual([]);
    await waitUntil("the scheduled run to end", async () =>
      isFinishedRunStatus((await api.run.get({ id: runId })).status),
    );
    const run = await api.run.get({ id: runId });
    expect(run).toMatchObject({ status: "completed", mode: "all", startedBy: `schedule #${schedule.id}` });
    expect(run.options.reset).toBe(true);
    const [listed] = (await api.schedule.list({ hostId })).filter((entry) => entry.id === schedule.id);
    expect(listed?.lastOutcome).toMatch(/^skipped: host busy/);
    await api.schedule.delete({ id: schedule.id });
  });
});
