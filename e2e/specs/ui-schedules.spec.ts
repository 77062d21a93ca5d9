import { isFinishedRunStatus } from "@lmstrix/core";
import { expect, test } from "@playwright/test";
import { startTwoHostStack, type TwoHostStack } from "../support/two-hosts";

/**
 * Schedules from the Hosts page, fired by the dashboard's worker on a test clock: the server's scheduler stands
 * at 02:50 UTC (LMSTRIX_TEST_CLOCK, with TZ=UTC so "0 3 * * *" is 03:00 UTC) until the spec moves it.
 */
let stack: TwoHostStack;

test.beforeAll(async () => {
  stack = await startTwoHostStack({ env: () => ({ LMSTRIX_TEST_CLOCK: "2030-01-07T02:50:00Z", TZ: "UTC" }) });
});
test.afterAll(async () => {
  await stack?.close();
});

interface Firing {
  scheduleId: number;
  outcome: "queued" | "skipped";
  runId?: number;
  description: string;
}
interface RunRow {
  id: number;
  status: string;
  mode: string;
  startedBy: string;
  host: { name: string };
}

test("a schedule added on the Hosts page fires at its time on its host only, once", async ({ page }) => {
  test.setTimeout(120_000);
  const { web, hostB } = stack;
  await page.goto(`${web.baseUrl}/hosts`);
  const card = page.getByRole("article", { name: hostB.name });
  const schedules = card.getByRole("region", { name: `Schedules of ${hostB.name}` });
  await expect(schedules.getByText("None. Times are the dashboard machine's local time.")).toBeVisible();

  const cron = schedules.getByLabel("Cron (local time)");
  await cron.fill("0 24 * * *");
  await schedules.getByLabel("Action").selectOption({ label: "Test all models" });
  await schedules.getByRole("button", { name: `Add schedule to ${hostB.name}` }).click();
  await expect(
    schedules.getByText('cron: "0 24 * * *" is not a cron expression (Invalid value for hour: 24)'),
  ).toBeVisible();
  await expect(cron).toHaveAttribute("aria-invalid", "true");

  await cron.fill("0 3 * * *");
  await schedules.getByRole("button", { name: `Add schedule to ${hostB.name}` }).click();
  const row = schedules.getByTestId("schedule");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("0 3 * * *");
  await expect(row).toContainText("Test all models");
  await expect(row).toContainText("not fired yet");

  // 02:59: not yet. 03:00:30: due — one run of gpu-b's models, queued by the schedule.
  expect(await stack.mutate<Firing[]>("schedule.setTestTime", { at: "2030-01-07T02:59:00Z" })).toEqual([]);
  const [fired] = await stack.mutate<Firing[]>("schedule.setTestTime", { at: "2030-01-07T03:00:30Z" });
  expect(fired).toMatchObject({ outcome: "queued" });
  const runId = fired!.runId!;
  await expect(row).toContainText(`queued run #${runId}`, { timeout: 15_000 });

  await expect
    .poll(async () => isFinishedRunStatus((await stack.query<RunRow>("run.get", { id: runId })).status), {
      timeout: 60_000,
    })
    .toBe(true);
  const runs = await stack.query<RunRow[]>("run.list", {});
  expect(
    runs.map(({ id, status, mode, startedBy, host }) => ({ id, status, mode, startedBy, host: host.name })),
  ).toEqual([
    {
      id: runId,
      status: "completed",
      mode: "all",
      startedBy: `schedule #${fired!.scheduleId}`,
      host: hostB.name,
    },
  ]);

  // The same time again fires nothing; the next night fires once more.
  expect(await stack.mutate<Firing[]>("schedule.setTestTime", { at: "2030-01-07T03:10:00Z" })).toEqual([]);
  const next = await stack.mutate<Firing[]>("schedule.setTestTime", { at: "2030-01-08T03:00:05Z" });
  expect(next).toHaveLength(1);

  // Disabled and removed from the page.
  await row.getByRole("button", { name: "Disable schedule 0 3 * * *" }).click();
  await expect(row.getByRole("button", { name: "Enable schedule 0 3 * * *" })).toBeVisible();
  expect(await stack.mutate<Firing[]>("schedule.setTestTime", { at: "2030-01-10T03:00:05Z" })).toEqual([]);
  await row.getByRole("button", { name: "Remove schedule 0 3 * * *" }).click();
  await expect(schedules.getByTestId("schedule")).toHaveCount(0);
});

test("times missed while the dashboard was down fire once when it starts again", async () => {
  test.setTimeout(120_000);
  const { web, hostA } = stack;
  // The clock stands at 2030-01-10 03:00:05 after the test above; the schedule is due from its next 03:00.
  const schedule = await stack.mutate<{ id: number }>("schedule.create", {
    hostId: hostA.id,
    cron: "0 3 * * *",
    action: "test-all",
  });
  await web.stop();
  // Four nights later: four 03:00s passed while it was down.
  await web.restart({ LMSTRIX_TEST_CLOCK: "2030-01-14T12:00:00Z" });
  const scheduledRuns = async () =>
    (await stack.query<RunRow[]>("run.list", { hostId: hostA.id })).filter(
      (run) => run.startedBy === `schedule #${schedule.id}`,
    );
  await expect.poll(async () => (await scheduledRuns()).length, { timeout: 30_000 }).toBe(1);
  const [run] = await scheduledRuns();
  await expect
    .poll(async () => isFinishedRunStatus((await stack.query<RunRow>("run.get", { id: run!.id })).status), {
      timeout: 60_000,
    })
    .toBe(true);
  // Several checks later (one every 5 s), still the one run.
  await new Promise((resolve) => setTimeout(resolve, 6_000));
  expect(await scheduledRuns()).toHaveLength(1);
  const listed = await stack.query<{ id: number; lastOutcome: string | null }[]>("schedule.list", {
    hostId: hostA.id,
  });
  expect(listed.find((entry) => entry.id === schedule.id)?.lastOutcome).toBe(`queued run #${run!.id}`);
});
