import { expect, type Locator, type Page, test } from "@playwright/test";
import { cancelActiveRuns, scanLocalHost, startRun, trpcQuery, waitForRunEnd } from "../support/dashboard";
import { e2e } from "../support/env";

/** Relative luminance (0 black … 1 white) of an element's computed colour property, as the screen shows it. */
async function luminance(locator: Locator, property: "color" | "backgroundColor"): Promise<number> {
  return locator.evaluate((element, name) => {
    // The browser converts any CSS colour (oklch included) to sRGB when it paints it.
    const canvas = document.createElement("canvas");
    canvas.width = 1;
    canvas.height = 1;
    const context = canvas.getContext("2d");
    if (!context) throw new Error("no 2d canvas");
    context.fillStyle = getComputedStyle(element)[name];
    context.fillRect(0, 0, 1, 1);
    const [r = 0, g = 0, b = 0] = context.getImageData(0, 0, 1, 1).data;
    const linear = (value: number) => {
      const c = value / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  }, property);
}

async function expectDark(page: Page, what: string) {
  const body = page.locator("body");
  expect(await luminance(body, "backgroundColor"), `${what}: page background`).toBeLessThan(0.05);
  const heading = page.getByRole("heading", { level: 1 });
  expect(await luminance(heading, "color"), `${what}: heading text`).toBeGreaterThan(0.7);
  const firstCard = page.locator("main section").first();
  if ((await firstCard.count()) > 0) {
    expect(await luminance(firstCard, "backgroundColor"), `${what}: a card`).toBeLessThan(0.05);
    expect(await luminance(firstCard, "color"), `${what}: a card's text`).toBeGreaterThan(0.7);
  }
}

test.describe("dark mode", () => {
  test.use({ colorScheme: "dark" });

  test("every page follows the system's dark scheme: dark background, light text", async ({
    page,
    request,
  }, testInfo) => {
    test.setTimeout(90_000);
    await cancelActiveRuns(request);
    const host = await scanLocalHost(request);
    const runId = await startRun(request, {
      hostId: host.id,
      modelKeys: ["qwen3-4b-instruct"],
      options: { fixedContext: 2_048, cooldownMs: 0 },
    });
    expect(await waitForRunEnd(request, runId)).toBe("completed");
    const models = await trpcQuery<{ id: number; modelKey: string; host: { name: string } }[]>(
      request,
      "model.list",
    );
    const qwen = models.find(
      (model) => model.modelKey === "qwen3-4b-instruct" && model.host.name === "local",
    );
    const llama = models.find(
      (model) => model.modelKey === "llama-3.1-8b-instruct" && model.host.name === "local",
    );

    await page.goto("/models");
    await expect(page.getByRole("row", { name: /qwen3-4b-instruct/ }).first()).toBeVisible();
    await expectDark(page, "Models");
    const shot = await page.screenshot({ fullPage: true, animations: "disabled", caret: "hide" });
    await testInfo.attach("Models, dark", { body: shot, contentType: "image/png" });

    for (const [what, path, ready] of [
      ["a Model page", `/models/${qwen?.id}`, page.getByTestId("history-chart")],
      ["Compare", `/compare?models=${qwen?.id},${llama?.id}`, page.getByTestId("compare-limits")],
      ["Runs", "/runs", page.getByRole("link", { name: `Run #${runId}` })],
      ["a Run page", `/runs/${runId}`, page.getByTestId("run-status")],
      ["Hosts", "/hosts", page.getByTestId("host-connection").first()],
      ["Playground", "/playground", page.getByRole("button", { name: "Send" })],
      ["Health", "/health", page.getByTestId("health-status")],
    ] as const) {
      await page.goto(path);
      await expect(ready).toBeVisible();
      await expectDark(page, what);
    }
    await page.goto(`${e2e.team.baseUrl}/sign-in`);
    await expectDark(page, "Sign in");
    await testInfo.attach("Sign in, dark", {
      body: await page.screenshot({ animations: "disabled", caret: "hide" }),
      contentType: "image/png",
    });
  });

  test("in the light scheme the pages stay light", async ({ page }) => {
    await page.emulateMedia({ colorScheme: "light" });
    await page.goto("/health");
    await expect(page.getByTestId("health-status")).toBeVisible();
    expect(await luminance(page.locator("body"), "backgroundColor")).toBeGreaterThan(0.9);
    expect(await luminance(page.getByRole("heading", { level: 1 }), "color")).toBeLessThan(0.05);
  });
});

test("the dashboard has a favicon, served to visitors not signed in too", async ({ page, request }) => {
  await page.goto("/models");
  const href = await page.locator('link[rel="icon"]').getAttribute("href");
  expect(href).toMatch(/^\/icon\.svg/);
  for (const url of [href ?? "", `${e2e.team.baseUrl}${href}`]) {
    const response = await request.get(url, { maxRedirects: 0 });
    expect(response.status(), url).toBe(200);
    expect(response.headers()["content-type"], url).toContain("image/svg+xml");
  }
});
