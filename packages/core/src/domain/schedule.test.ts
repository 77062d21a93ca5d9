import { describe, expect, it } from "vitest";
import { cronExpressionSchema, cronProblem, isScheduleDue, nextFireAfter } from "./schedule";

const nightly = (createdAt: string, lastRunAt: string | null = null) => ({
  cron: "0 3 * * *",
  enabled: true,
  createdAt: new Date(createdAt),
  lastRunAt: lastRunAt ? new Date(lastRunAt) : null,
});

describe("when a schedule is due (cron read in UTC here, the server's local time in production)", () => {
  it("is due once the time it names has come since it was created", () => {
    const schedule = nightly("2026-12-06T12:00:00Z");
    expect(isScheduleDue(schedule, new Date("2026-12-07T02:59:59Z"), "UTC")).toBe(false);
    expect(isScheduleDue(schedule, new Date("2026-12-07T03:00:00Z"), "UTC")).toBe(true);
  });

  it("is not due again after it fired, until its next time", () => {
    const fired = nightly("2026-12-06T12:00:00Z", "2026-12-07T03:00:00Z");
    expect(isScheduleDue(fired, new Date("2026-12-07T03:00:00Z"), "UTC")).toBe(false);
    expect(isScheduleDue(fired, new Date("2026-12-07T23:00:00Z"), "UTC")).toBe(false);
    expect(isScheduleDue(fired, new Date("2026-12-08T03:00:01Z"), "UTC")).toBe(true);
  });

  it("is due (once: firing records now) when several of its times passed while the server was down", () => {
    const schedule = nightly("2026-12-01T12:00:00Z", "2026-12-02T03:00:00Z");
    const start = new Date("2026-12-07T10:00:00Z");
    expect(isScheduleDue(schedule, start, "UTC")).toBe(true);
    expect(isScheduleDue({ ...schedule, lastRunAt: start }, new Date("2026-12-07T10:00:05Z"), "UTC")).toBe(
      false,
    );
  });

  it("is never due while disabled", () => {
    expect(
      isScheduleDue({ ...nightly("2026-12-01T00:00:00Z"), enabled: false }, new Date("2027-01-01"), "UTC"),
    ).toBe(false);
  });

  it("reads the expression in the given time zone: 03:00 in Berlin is 02:00 UTC in winter", () => {
    expect(nextFireAfter("0 3 * * *", new Date("2026-12-06T12:00:00Z"), "Europe/Berlin")?.toISOString()).toBe(
      "2026-12-07T02:00:00.000Z",
    );
  });

  it("fires a time the spring DST change skips once, just after the gap", () => {
    // Berlin, 29 March 2026: 02:00 becomes 03:00, so 02:30 does not exist that night.
    const first = nextFireAfter("30 2 * * *", new Date("2026-03-28T12:00:00Z"), "Europe/Berlin");
    expect(first?.toISOString()).toBe("2026-03-29T01:00:00.000Z");
    expect(nextFireAfter("30 2 * * *", first!, "Europe/Berlin")?.toISOString()).toBe(
      "2026-03-30T00:30:00.000Z",
    );
  });

  it("fires a time the autumn DST change repeats once, at its first occurrence", () => {
    // Berlin, 25 October 2026: 03:00 becomes 02:00 again, so 02:30 happens twice (00:30 and 01:30 UTC).
    const first = nextFireAfter("30 2 * * *", new Date("2026-10-24T12:00:00Z"), "Europe/Berlin");
    expect(first?.toISOString()).toBe("2026-10-25T00:30:00.000Z");
    expect(nextFireAfter("30 2 * * *", first!, "Europe/Berlin")?.toISOString()).toBe(
      "2026-10-26T01:30:00.000Z",
    );
  });
});

describe("a cron expression", () => {
  it("accepts five fields and croner's shorthands", () => {
    expect(cronProblem("0 3 * * *")).toBeNull();
    expect(cronProblem("0 4 * * SUN")).toBeNull();
    expect(cronProblem("@daily")).toBeNull();
  });

  it("refuses a malformed one with a message that names the field and gives an example", () => {
    const refused = cronExpressionSchema.safeParse("61 3 * * *");
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toBe(
      'cron: "61 3 * * *" is not a cron expression (Invalid value for minute: 61); e.g. "0 3 * * *" is every night at 03:00',
    );
    expect(cronProblem("every night")).toMatch(
      /^cron: "every night" is not a cron expression \(.*five, six, or seven/,
    );
    // croner's seconds and years are not taken: a schedule every second would queue a run each second.
    expect(cronProblem("* * * * * *")).toBe(
      'cron: "* * * * * *" has 6 fields; give five (minute hour day-of-month month day-of-week), e.g. "0 3 * * *"',
    );
    expect(cronProblem("0 0 30 2 *")).toBe(
      'cron: "0 0 30 2 *" names no time that ever comes, so it would never run',
    );
    expect(cronExpressionSchema.safeParse("  ").error?.issues[0]?.message).toBe(
      "cron: the expression must not be empty",
    );
  });
});
