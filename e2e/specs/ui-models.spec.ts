import { expect, test } from "@playwright/test";
import { trpcMutation } from "../support/dashboard";
import { openE2eDatabase } from "../support/database";

const HOST = "bulk-box";
const MODELS = 1_050;

/** A big fleet straight in the database: the table must stay usable with 1,000+ models. */
test.beforeAll(async () => {
  const db = await openE2eDatabase();
  try {
    await db.prisma.host.deleteMany({ where: { name: HOST } });
    const host = await db.prisma.host.create({
      data: { name: HOST, url: "ws://127.0.0.1:9", enabled: false },
    });
    await db.prisma.model.createMany({
      data: Array.from({ length: MODELS }, (_, index) => ({
        hostId: host.id,
        modelKey: `bulk-model-${String(index).padStart(4, "0")}`,
        displayName: `Bulk model ${index}`,
        type: index % 10 === 0 ? "embedding" : "llm",
        path: `bulk/model-${index}.gguf`,
        sizeBytes: BigInt(1_000_000_000 + index * 1_000_000),
        declaredContext: 131_072,
        testStatus: index % 3 === 0 ? "completed" : "untested",
        loadableLimit: index % 3 === 0 ? 1_000 + index : null,
        lastGoodContext: index % 3 === 0 ? 1_000 + index : null,
        isPresent: index !== 7,
      })),
    });
  } finally {
    await db.close();
  }
});

test.afterAll(async ({ request }) => {
  const db = await openE2eDatabase();
  try {
    const host = await db.prisma.host.findUnique({ where: { name: HOST }, select: { id: true } });
    if (host) await trpcMutation(request, "host.delete", { id: host.id });
  } finally {
    await db.close();
  }
});

test("the Models table sorts, filters and pages through 1,000+ models", async ({ page }) => {
  await page.goto("/models");
  // Its URL answers no LM Studio: the filter marks it as down (the option appears with the status check).
  await page.getByLabel("Host", { exact: true }).selectOption({ label: `${HOST} (down)` });
  await expect(page.getByText(`1–100 of ${MODELS.toLocaleString("en-US")} models`)).toBeVisible();
  const rows = page.getByRole("table").getByRole("row");
  await expect(rows).toHaveCount(101);

  // Sorting by a header: aria-sort tells assistive tech, the first row tells everyone.
  const limitHeader = page.getByRole("columnheader", { name: /Loadable limit/ });
  await expect(limitHeader).toHaveAttribute("aria-sort", "none");
  await limitHeader.getByRole("button").click();
  await expect(limitHeader).toHaveAttribute("aria-sort", "descending");
  await expect(rows.nth(1)).toContainText("bulk-model-1047");
  await expect(rows.nth(1).getByRole("cell", { name: "2,047" }).first()).toBeVisible();
  await limitHeader.getByRole("button").click();
  await expect(limitHeader).toHaveAttribute("aria-sort", "ascending");
  await expect(rows.nth(1)).toContainText("bulk-model-0000");
  await expect(page.getByRole("columnheader", { name: /Host/ })).toHaveAttribute("aria-sort", "none");

  // Pages.
  await page.getByRole("button", { name: "Next page" }).click();
  await expect(page.getByText(`101–200 of ${MODELS.toLocaleString("en-US")} models`)).toBeVisible();
  await page.getByRole("button", { name: "Last page" }).click();
  await expect(page.getByText("Page 11 of 11")).toBeVisible();

  // Filters combine and bring the page back into range.
  await page.getByLabel("Type").selectOption("embedding");
  await page.getByLabel("Status").selectOption({ label: "✓ Tested" });
  await expect(page.getByText("1–35 of 35 models")).toBeVisible();
  await page.getByLabel("Search").fill("model-0990");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText("bulk-model-0990");
  await page.getByRole("button", { name: "Clear filters" }).click();
  await page.getByLabel("Host", { exact: true }).selectOption({ label: `${HOST} (down)` });

  // A model gone from its host is dimmed with a note and cannot be selected; embeddings cannot be tested.
  await page.getByLabel("Search").fill("bulk-model-0007");
  const gone = page.getByRole("row", { name: /bulk-model-0007/ });
  await expect(gone.getByText("Gone from the host — kept for its history")).toBeVisible();
  await expect(gone.getByRole("checkbox")).toBeDisabled();
  await page.getByLabel("Search").fill("bulk-model-0010");
  await expect(page.getByRole("row", { name: /bulk-model-0010/ }).getByRole("checkbox")).toBeDisabled();

  // Selecting a page of models and opening the options dialog; Escape closes it and keeps the selection.
  await page.getByLabel("Search").fill("");
  await page.getByRole("checkbox", { name: "Select all testable models on this page" }).check();
  await expect(page.getByText(/^\d+ selected$/)).toBeVisible();
  await page.getByRole("button", { name: "Test selected" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByLabel("Threshold (tokens)")).toBeFocused();
  await dialog.getByLabel("Fixed context (tokens, optional)").fill("20,000,000");
  await dialog.getByRole("button", { name: "Start test" }).click();
  await expect(dialog.getByText("Fixed context must be between 1 and 10,000,000 tokens")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("button", { name: "Test selected" })).toBeFocused();
  await expect(page.getByText(/^\d+ selected$/)).toBeVisible();
});

test("on a 1,280 px laptop the Models table fits its card without scrolling sideways", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/models");
  const table = page.getByRole("table");
  await expect(table.getByRole("row").nth(1)).toBeVisible();
  const { tableWidth, cardWidth } = await table.evaluate((element) => ({
    tableWidth: element.scrollWidth,
    cardWidth: element.parentElement?.clientWidth ?? 0,
  }));
  expect(tableWidth).toBeLessThanOrEqual(cardWidth);
  // The columns left out at this width are on the Model page; an embedding model says what it is.
  await expect(page.getByRole("columnheader", { name: /Last tested/ })).toBeVisible();
  await page.getByLabel("Type").selectOption("embedding");
  await expect(page.getByTestId("model-type-note").first()).toHaveText("embedding model");
});
