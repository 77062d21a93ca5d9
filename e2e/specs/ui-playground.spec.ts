import { expect, test } from "@playwright/test";
import { cancelActiveRuns, scanLocalHost, startLongBatch, startRun, trpcQuery } from "../support/dashboard";

test.beforeEach(async ({ request }) => {
  await cancelActiveRuns(request);
  await scanLocalHost(request);
});

test("the playground streams a model's answer with its figures", async ({ page }) => {
  await page.goto("/playground");
  await page.getByLabel("Host").selectOption({ label: "local" });
  const model = page.getByLabel("Model");
  // Only LLMs are offered.
  await expect(model.locator("option")).toHaveText([
    "gemma-3-12b-it",
    "llama-3.1-8b-instruct",
    "qwen3-4b-instruct",
  ]);
  await model.selectOption("qwen3-4b-instruct");
  await expect(page.getByLabel("Context length (tokens)")).toHaveValue(/^\d{1,3}(,\d{3})*$/);
  await page.getByLabel("Context length (tokens)").fill("4,096");
  await page.getByLabel("Prompt").fill("2+3=");
  await page.getByLabel("Max tokens").fill("16");
  await page.getByRole("button", { name: "Send" }).click();

  await expect(page.getByTestId("playground-answer")).toContainText("5");
  const stats = page.getByTestId("playground-stats");
  await expect(stats).toBeVisible();
  await expect(stats.getByText("Applied context")).toBeVisible();
  await expect(stats).toContainText("4,096");
  await expect(stats).toContainText("tok/s");
  await expect(page.getByRole("list", { name: "Status" })).toContainText(
    "Loading qwen3-4b-instruct at 4,096 tokens",
  );
  // LM Studio's stop reason in words: the emulator's answer ends on its own.
  await expect(stats).toContainText("the model ended its answer");
  await expect(page.getByRole("button", { name: "Send" })).toBeEnabled();
});

test("the playground says so when the host is busy with a run, and checks its input", async ({
  page,
  request,
}) => {
  await page.goto("/playground");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByText("Write a prompt first")).toBeVisible();
  await page.getByLabel("Temperature").fill("5");
  await page.getByLabel("Prompt").fill("2+3=");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByText("Temperature must be a number between 0 and 2")).toBeVisible();
  await page.getByLabel("Temperature").fill("0.7");
  await page.getByLabel("Host").selectOption({ label: "local" });
  await page.getByLabel("Model").selectOption("qwen3-4b-instruct");

  const host = await scanLocalHost(request);
  // A batch with lmstrix's pause between models holds the host for seconds.
  const runId = await startRun(request, { hostId: host.id, all: true, options: { reset: true } });
  await expect
    .poll(async () => (await trpcQuery<{ status: string }>(request, "run.get", { id: runId })).status)
    .toBe("running");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "busy" })).toContainText(
    `Host local is busy with run #${runId}; try again when it ends`,
  );
  await cancelActiveRuns(request);
});

test("before Send, the playground says the host is busy and links to the run holding it", async ({
  page,
  request,
}) => {
  const host = await scanLocalHost(request);
  await page.goto("/playground");
  await page.getByLabel("Host").selectOption({ label: "local" });
  await expect(page.getByRole("status").filter({ hasText: "busy" })).toHaveCount(0);

  const runId = await startLongBatch(request, host.id);
  // Nothing sent: the page says so by itself.
  const notice = page.getByRole("status").filter({ hasText: "busy" });
  await expect(notice).toContainText(`Host local is busy with run #${runId}`);
  await notice.getByRole("link", { name: `run #${runId}` }).click();
  await expect(page).toHaveURL(new RegExp(`/runs/${runId}$`));
  await cancelActiveRuns(request);

  await page.goto("/playground");
  await page.getByLabel("Host").selectOption({ label: "local" });
  await expect(page.getByLabel("Model")).toHaveValue(/.+/);
  await expect(page.getByRole("status").filter({ hasText: "busy" })).toHaveCount(0);
});

test("a load LM Studio refuses is shown once, and not asked for again", async ({ page }) => {
  const asked: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes("playground.respond")) asked.push(request.url());
  });
  await page.goto("/playground");
  await page.getByLabel("Host").selectOption({ label: "local" });
  await page.getByLabel("Model").selectOption("gemma-3-12b-it");
  // Its KV cache alone at 131,072 tokens is about three times the host's memory.
  await page.getByLabel("Context length (tokens)").fill("131,072");
  await page.getByLabel("Prompt").fill("2+3=");
  await page.getByRole("button", { name: "Send" }).click();

  await expect(page.getByRole("alert").filter({ hasText: "could not answer" })).toContainText(
    "The playground could not answer: Model loading was stopped due to insufficient system resources",
  );
  await expect(page.getByRole("button", { name: "Send" })).toBeEnabled();
  // An event stream that failed would be opened again by the browser within a few seconds: it must not be.
  await page.waitForTimeout(5_000);
  expect(asked).toHaveLength(1);
  await expect(page.getByRole("list", { name: "Status" }).getByText(/^Loading gemma-3-12b-it/)).toHaveCount(
    1,
  );
});
