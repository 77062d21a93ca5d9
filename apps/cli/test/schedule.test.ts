import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runInProcess, type TempDir, tempDataDir, testEnv } from "./support/cli";

// Schedule commands only write the database: no LM Studio needs to answer at this URL.
const UNUSED_URL = "ws://127.0.0.1:9";

describe("lmstrix schedule", () => {
  let data: TempDir;
  let env: Record<string, string>;
  const cli = (...argv: string[]) => runInProcess(argv, env);

  beforeAll(() => {
    data = tempDataDir();
    env = testEnv(UNUSED_URL, data.dir);
  });
  afterAll(() => data.dispose());

  it("adds, lists (as a table and as JSON) and removes schedules", async () => {
    const added = await cli("schedule", "add", "--cron", "0 3 * * *", "--action", "retest-stale");
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/^Added schedule #1: retest-stale on local at "0 3 \* \* \*"/);
    expect(
      (await cli("schedule", "add", "--host", "local", "--cron", "0 4 * * SUN", "--action", "test-all")).code,
    ).toBe(0);

    const table = await cli("schedule", "list");
    expect(table.stdout).toContain("Schedules");
    expect(table.stdout).toMatch(/│\s+1 │ local │ 0 3 \* \* \*\s+│ retest-stale │ yes\s+│ never\s+│/);
    const listed = JSON.parse((await cli("schedule", "list", "--json")).stdout) as {
      id: number;
      host: string;
      cron: string;
      action: string;
      enabled: boolean;
      lastRunAt: string | null;
    }[];
    expect(
      listed.map(({ id, host, cron, action, enabled, lastRunAt }) => ({
        id,
        host,
        cron,
        action,
        enabled,
        lastRunAt,
      })),
    ).toEqual([
      { id: 1, host: "local", cron: "0 3 * * *", action: "retest-stale", enabled: true, lastRunAt: null },
      { id: 2, host: "local", cron: "0 4 * * SUN", action: "test-all", enabled: true, lastRunAt: null },
    ]);

    const removed = await cli("schedule", "remove", "1");
    expect(removed.stdout).toBe("Removed schedule #1\n");
    const again = await cli("schedule", "remove", "1");
    expect(again.code).toBe(2);
    expect(again.stderr).toBe("lmstrix: No schedule with id 1\n");
    expect(JSON.parse((await cli("schedule", "list", "--json")).stdout)).toHaveLength(1);
  });

  it("refuses a bad cron expression, action or host before writing anything", async () => {
    const badCron = await cli("schedule", "add", "--cron", "0 3 * *", "--action", "test-all");
    expect(badCron.code).toBe(2);
    expect(badCron.stderr).toContain('lmstrix: --cron: "0 3 * *" is not a cron expression');
    const badAction = await cli("schedule", "add", "--cron", "0 3 * * *", "--action", "test-some");
    expect(badAction.code).toBe(2);
    expect(badAction.stderr).toContain('--action must be one of test-all, retest-stale; got "test-some"');
    const unknownHost = await cli(
      "schedule",
      "add",
      "--host",
      "nowhere",
      "--cron",
      "0 3 * * *",
      "--action",
      "test-all",
    );
    expect(unknownHost.code).toBe(2);
    expect(unknownHost.stderr).toContain('unknown host "nowhere"');
    expect((await cli("schedule", "list", "--cron", "0 3 * * *")).stderr).toContain(
      '--cron goes with "schedule add" only',
    );
  });
});
