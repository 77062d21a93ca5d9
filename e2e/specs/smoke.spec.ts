import { expect, test } from "@playwright/test";
import { openE2eDatabase } from "../support/database";

test("the dashboard opens on the Models page with an empty state that says what to do", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/models$/);
  await expect(page.getByRole("heading", { name: "Models", level: 1 })).toBeVisible();
  await expect(page.getByRole("heading", { name: "No models yet" })).toBeVisible();
  await expect(page.getByText("pnpm lmstrix scan")).toBeVisible();
});

test("navigation reaches every page", async ({ page }) => {
  await page.goto("/models");
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const name of ["Runs", "Hosts", "Health", "Models"]) {
    await nav.getByRole("link", { name }).click();
    await expect(page).toHaveURL(new RegExp(`/${name.toLowerCase()}$`));
    await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
    await expect(nav.getByRole("link", { name })).toHaveAttribute("aria-current", "page");
  }
});

test("the health page and /api/health read ok", async ({ page, request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body).toMatchObject({ status: "ok", database: { ok: true, integrity: "ok" } });
  expect(body.database.path).toContain(process.env.LMSTRIX_E2E_DATA_DIR);
  // The constant-time answer for monitors: same database, same migration, no integrity scan.
  const live = await request.get("/api/health?live");
  expect(live.status()).toBe(200);
  expect(await live.json()).toMatchObject({
    status: "ok",
    database: { ok: true, path: body.database.path, migration: body.database.migration },
  });

  await page.goto("/health");
  await expect(page.getByTestId("health-status")).toHaveText("ok");
  await expect(page.getByText(body.database.migration)).toBeVisible();
});

test("a model in the database appears in the Models table with formatted numbers", async ({ page }) => {
  const db = await openE2eDatabase();
  try {
    const host = await db.prisma.host.upsert({
      where: { name: "gpu-box" },
      create: { name: "gpu-box", url: "ws://127.0.0.1:1234" },
      update: {},
    });
    await db.prisma.model.upsert({
      where: { hostId_modelKey: { hostId: host.id, modelKey: "qwen3-8b@q4_k_m" } },
      create: {
        hostId: host.id,
        modelKey: "qwen3-8b@q4_k_m",
        displayName: "Qwen3 8B",
        type: "llm",
        path: "lmstudio-community/Qwen3-8B-GGUF/Qwen3-8B-Q4_K_M.gguf",
        sizeBytes: BigInt(10_683_731_968),
        declaredContext: 131_072,
        testStatus: "completed",
        loadableLimit: 60_000,
        lastGoodContext: 60_000,
        lastBadContext: 61_440,
      },
      update: {},
    });
  } finally {
    await db.close();
  }

  await page.goto("/models");
  const row = page.getByRole("row", { name: /qwen3-8b@q4_k_m/ });
  await expect(row).toBeVisible();
  await expect(row.getByRole("cell", { name: "gpu-box" })).toBeVisible();
  await expect(row.getByRole("cell", { name: "9.95 GB" })).toBeVisible();
  await expect(row.getByRole("cell", { name: "131,072" })).toBeVisible();
  await expect(row.getByRole("cell", { name: "60,000" }).first()).toBeVisible();
  await expect(row.getByRole("cell", { name: "61,440" })).toBeVisible();
  await expect(row.getByText("✓ Tested")).toBeVisible();
});
