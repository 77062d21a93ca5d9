import { expect, test } from "@playwright/test";
import { startTwoHostStack, type TwoHostStack } from "../support/two-hosts";
import { WebhookReceiver } from "../support/webhook-receiver";

/**
 * Notifications of runs started in the dashboard: the JSON POST to LMSTRIX_WEBHOOK_URL (and to a host's own URL,
 * set on the Hosts page), a delivery that fails shown on Health, and the Run page's opt-in browser notification.
 */
let stack: TwoHostStack;
const receiver = new WebhookReceiver();
let receiverUrl: string;

test.beforeAll(async () => {
  receiverUrl = await receiver.start();
  stack = await startTwoHostStack({
    env: (port) => ({
      LMSTRIX_WEBHOOK_URL: `${receiverUrl}/global`,
      LMSTRIX_PUBLIC_URL: `http://127.0.0.1:${port}`,
      LMSTRIX_WEBHOOK_RETRY_MS: "10",
    }),
  });
});
test.afterAll(async () => {
  await stack?.close();
  await receiver.close();
});

/** Records every `Notification` the page creates (the permission itself is granted by the context). */
const RECORD_NOTIFICATIONS = () => {
  const shown: { title: string; body?: string }[] = [];
  (window as unknown as { shownNotifications: typeof shown }).shownNotifications = shown;
  const Original = window.Notification;
  class Recorded extends Original {
    constructor(title: string, options?: NotificationOptions) {
      super(title, options);
      shown.push({ title, body: options?.body });
    }
  }
  window.Notification = Recorded as typeof Notification;
};

test("a run started in the dashboard POSTs its end to the webhook and notifies the browser that opted in", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { web, hostA } = stack;
  const context = await browser.newContext({ permissions: ["notifications"], baseURL: web.baseUrl });
  await context.addInitScript(RECORD_NOTIFICATIONS);
  const page = await context.newPage();
  // The host is disabled while the page opts in, so the run waits queued (a disabled host's runs wait).
  await stack.mutate("host.update", { id: hostA.id, enabled: false });
  const { id: runId } = await stack.mutate<{ id: number }>("run.start", {
    hostId: hostA.id,
    modelKeys: ["a-small"],
  });
  await page.goto(`/runs/${runId}`);
  await page.getByRole("button", { name: "Notify me when it ends" }).click();
  await expect(page.getByText("You will be notified when it ends")).toBeVisible();
  await stack.mutate("host.update", { id: hostA.id, enabled: true });

  await expect
    .poll(
      () => page.evaluate(() => (window as unknown as { shownNotifications: unknown[] }).shownNotifications),
      {
        timeout: 60_000,
      },
    )
    .toEqual([{ title: `Run #${runId} completed`, body: `On ${hostA.name}` }]);
  await expect.poll(() => receiver.received.length, { timeout: 15_000 }).toBe(1);
  expect(receiver.received[0]).toEqual({
    path: "/global",
    body: {
      event: "run.finished",
      runId,
      host: { id: hostA.id, name: hostA.name },
      status: "completed",
      message: null,
      models: { completed: 1, failed: 0, skipped: 0 },
      link: `${web.baseUrl}/runs/${runId}`,
    },
  });
  await context.close();
});

test("a host's own webhook replaces the global one, and a delivery that fails is shown on Health", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const { web, hostB } = stack;
  receiver.received.length = 0;
  await page.goto(`${web.baseUrl}/hosts`);
  const card = page.getByRole("article", { name: hostB.name });
  const webhook = card.getByLabel("Webhook (run ends, regressions)");
  await expect(card.getByText(`Empty: LMSTRIX_WEBHOOK_URL (${receiverUrl}/global).`)).toBeVisible();
  await webhook.fill("not a url");
  await card.getByRole("button", { name: `Save webhook of ${hostB.name}` }).click();
  await expect(card.getByText("webhook URL must look like https://example.org/hooks/lmstrix")).toBeVisible();
  await webhook.fill(`${receiverUrl}/gpu-b`);
  await card.getByRole("button", { name: `Save webhook of ${hostB.name}` }).click();
  await expect(card.getByText("Saved.")).toBeVisible();

  const first = await stack.mutate<{ id: number }>("run.start", { hostId: hostB.id, modelKeys: ["b-small"] });
  await expect
    .poll(() => receiver.received.map((entry) => entry.path), { timeout: 60_000 })
    .toEqual(["/gpu-b"]);
  expect(receiver.received[0]?.body).toMatchObject({
    event: "run.finished",
    runId: first.id,
    host: { name: hostB.name },
  });

  // Nothing listens on port 9: every attempt fails, and Health says so.
  await webhook.fill("http://127.0.0.1:9/down");
  await card.getByRole("button", { name: `Save webhook of ${hostB.name}` }).click();
  await expect(card.getByText("Saved.")).toBeVisible();
  const second = await stack.mutate<{ id: number }>("run.start", { hostId: hostB.id, modelKeys: ["b-mid"] });
  await page.goto(`${web.baseUrl}/health`);
  const failure = page.getByTestId("webhook-failure");
  await expect(failure).toContainText(
    `run.finished of run #${second.id} to http://127.0.0.1:9/down failed after 4 attempts`,
    {
      timeout: 60_000,
    },
  );
});
