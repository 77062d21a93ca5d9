import { expect, type Locator, type Page, test } from "@playwright/test";
import {
  cancelActiveRuns,
  scanLocalHost,
  startLongBatch,
  startRun,
  trpcQuery,
  waitForRunEnd,
} from "../support/dashboard";
import { e2e } from "../support/env";

const PHONE = { width: 390, height: 844 };
test.use({ viewport: PHONE });

async function expectNoWiderThanTheScreen(page: Page, what: string) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `${what} is ${width} px wide on a ${PHONE.width} px screen`).toBeLessThanOrEqual(PHONE.width);
}

/** Whole on the screen, left to right: not cut off, nor reachable only by scrolling sideways. */
async function expectWithinTheScreen(locator: Locator, what: string) {
  await expect(locator, what).toBeVisible();
  const box = await locator.boundingBox();
  if (!box) throw new Error(`${what} has no box`);
  expect(box.x, `${what} starts at x ${box.x}`).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, `${what} ends at x ${box.x + box.width}`).toBeLessThanOrEqual(PHONE.width);
}

test("at 390 px every page fits the screen and its buttons are whole", async ({ page, request }) => {
  test.setTimeout(120_000);
  await cancelActiveRuns(request);
  const host = await scanLocalHost(request);
  const finished = await startRun(request, {
    hostId: host.id,
    modelKeys: ["qwen3-4b-instruct"],
    options: { fixedContext: 2_048, cooldownMs: 0 },
  });
  expect(await waitForRunEnd(request, finished)).toBe("completed");
  const models = await trpcQuery<
    { id: number; modelKey: string; loadableLimit: number | null; host: { name: string } }[]
  >(request, "model.list");
  const qwen = models.find((model) => model.modelKey === "qwen3-4b-instruct" && model.host.name === "local");
  if (!qwen) throw new Error("qwen3-4b-instruct is not on local");
  const llama = models.find(
    (model) => model.modelKey === "llama-3.1-8b-instruct" && model.host.name === "local",
  );
  if (!llama) throw new Error("llama-3.1-8b-instruct is not on local");
  try {
    await page.goto("/models");
    await page.getByLabel("Host", { exact: true }).selectOption({ label: "local" });
    const row = page.getByRole("row", { name: /qwen3-4b-instruct/ });
    await expect(row).toBeVisible();
    await expectNoWiderThanTheScreen(page, "Models");
    // The figure the page is for, without scrolling the table sideways.
    await expectWithinTheScreen(
      page.getByRole("columnheader", { name: /Loadable limit/ }),
      "Loadable limit header",
    );
    const limit = (qwen.loadableLimit ?? 0).toLocaleString("en-US");
    await expectWithinTheScreen(row.getByRole("cell", { name: limit, exact: true }), "qwen's Loadable limit");
    await expectWithinTheScreen(
      page.getByRole("button", { name: "Test all untested models on local" }),
      "Test all untested",
    );
    await expectWithinTheScreen(page.getByRole("button", { name: "Test selected" }), "Test selected");
    await row.getByRole("checkbox").check();
    await page.getByRole("button", { name: "Test selected" }).click();
    const dialog = page.getByRole("dialog");
    await expectWithinTheScreen(
      dialog.getByRole("button", { name: "Start test" }),
      "the dialog's Start test",
    );
    await page.keyboard.press("Escape");

    await page.goto(`/models/${qwen.id}`);
    await expect(page.getByRole("heading", { name: "qwen3-4b-instruct", level: 1 })).toBeVisible();
    await expect(page.getByTestId("history-chart")).toBeVisible();
    await expectNoWiderThanTheScreen(page, "a Model page");
    await expectWithinTheScreen(page.getByRole("button", { name: "Test", exact: true }), "Test");

    await page.goto(`/compare?models=${qwen.id},${llama.id}`);
    await expect(page.getByTestId("compare-limits")).toBeVisible();
    await expect(page.getByTestId("compare-history-chart")).toBeVisible();
    await expectNoWiderThanTheScreen(page, "Compare");
    await expectWithinTheScreen(
      page.getByTestId("compare-row-loadable").getByRole("rowheader"),
      "the Loadable limit row's name",
    );

    // A run in progress, for the Cancel buttons.
    const running = await startLongBatch(request, host.id);

    await page.goto(`/runs/${running}`);
    await expect(page.getByTestId("probe-log-entry").first()).toBeVisible({ timeout: 20_000 });
    await expectNoWiderThanTheScreen(page, "a Run page");
    await expectWithinTheScreen(
      page.getByRole("button", { name: `Cancel run #${running}` }),
      "Cancel on its page",
    );

    await page.goto("/runs");
    await expect(page.getByRole("link", { name: `Run #${finished}` })).toBeVisible();
    await expectNoWiderThanTheScreen(page, "Runs");
    await expectWithinTheScreen(
      page.getByRole("button", { name: `Cancel run #${running}` }),
      "Cancel on Runs",
    );
    await expectWithinTheScreen(page.getByLabel("Host"), "the host filter");

    await page.goto("/hosts");
    await expect(page.getByRole("article", { name: "local" }).getByTestId("host-connection")).toContainText(
      "Reachable",
    );
    await expectNoWiderThanTheScreen(page, "Hosts");
    for (const name of ["Add host", "Scan local", "Edit local", "Remove local"]) {
      await expectWithinTheScreen(page.getByRole("button", { name, exact: true }), name);
    }

    await page.goto("/playground");
    await expect(page.getByLabel("Model")).toHaveValue(/.+/);
    await expectNoWiderThanTheScreen(page, "Playground");
    await expectWithinTheScreen(page.getByRole("button", { name: "Send" }), "Send");

    await page.goto("/health");
    await expect(page.getByTestId("health-status")).toHaveText(/ok|warning/);
    await expect(page.getByRole("button", { name: "Restore…" }).first()).toBeVisible();
    await expectNoWiderThanTheScreen(page, "Health");
    for (const [name, control] of [
      ["Take snapshot", page.getByRole("button", { name: "Take snapshot" })],
      ["Restore…", page.getByRole("button", { name: "Restore…" }).first()],
      ["Check file", page.getByRole("button", { name: "Check file" })],
      ["Models (CSV)", page.getByRole("link", { name: "Models (CSV)" })],
    ] as const) {
      await expectWithinTheScreen(control, name);
    }

    await page.goto(`${e2e.team.baseUrl}/sign-in`);
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await expectNoWiderThanTheScreen(page, "Sign in");
    await expectWithinTheScreen(page.getByRole("button", { name: "Sign in" }), "Sign in");
  } finally {
    await cancelActiveRuns(request);
  }
});
