import { openDatabase } from "@lmstrix/db";
import { expect, type Page, test } from "@playwright/test";
import { e2e } from "../support/env";

const { baseUrl, token } = e2e.team;

async function signIn(page: Page, name: string, candidate: string) {
  await page.goto(`${baseUrl}/models`);
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fmodels$/);
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Access token").fill(candidate);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test.describe("team mode", () => {
  test("without the token: every page leads to sign-in and every API answers 401", async ({
    page,
    request,
  }) => {
    for (const path of ["/models", "/runs", "/hosts", "/health"]) {
      await page.goto(`${baseUrl}${path}`);
      await expect(page).toHaveURL(`${baseUrl}/sign-in?next=${encodeURIComponent(path)}`);
      await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    }
    for (const path of [
      "/api/trpc/model.list",
      "/api/health",
      "/api/trpc/run.onEvents?input=%7B%22json%22%3A%7B%22runId%22%3A1%7D%7D",
    ]) {
      const response = await request.get(`${baseUrl}${path}`);
      expect(response.status(), path).toBe(401);
    }
    const mutation = await request.post(`${baseUrl}/api/trpc/host.scan`, { data: { json: { id: 1 } } });
    expect(mutation.status()).toBe(401);
    expect(
      (await request.get(`${baseUrl}/api/health`, { headers: { authorization: "Bearer wrong" } })).status(),
    ).toBe(401);
  });

  test("a wrong token is refused with a message", async ({ page }) => {
    await signIn(page, "Mallory", "not-the-token");
    await expect(page.getByRole("alert").filter({ hasText: "access token" })).toHaveText(
      "That is not this dashboard's access token.",
    );
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test("the right token opens the dashboard, and runs record who started them", async ({ page }) => {
    await signIn(page, "Ada", token);
    await expect(page).toHaveURL(`${baseUrl}/models`);
    await expect(page.getByRole("heading", { name: "Models", level: 1 })).toBeVisible();
    const cookies = await page.context().cookies(baseUrl);
    const session = cookies.find((cookie) => cookie.name === "lmstrix_session");
    expect(session?.httpOnly).toBe(true);

    // Mutations from the signed-in page (same origin, with the cookie) work.
    const hosts = await page.request.get(`${baseUrl}/api/trpc/host.list`);
    expect(hosts.status()).toBe(200);
    const hostId = (await hosts.json()).result.data.json[0].id as number;
    const scan = await page.request.post(`${baseUrl}/api/trpc/host.scan`, {
      data: { json: { id: hostId } },
      headers: { origin: baseUrl },
    });
    expect(scan.status()).toBe(200);
    const start = await page.request.post(`${baseUrl}/api/trpc/run.start`, {
      data: {
        json: { hostId, modelKeys: ["qwen3-4b-instruct"], options: { fixedContext: 2048, cooldownMs: 0 } },
      },
      headers: { origin: baseUrl },
    });
    expect(start.status()).toBe(200);
    const runId = (await start.json()).result.data.json.id as number;
    const db = await openDatabase({ dataDir: e2e.team.dataDir });
    try {
      const run = await db.prisma.run.findUniqueOrThrow({
        where: { id: runId },
        select: { startedBy: true },
      });
      expect(run.startedBy).toBe("Ada");
    } finally {
      await db.close();
    }
  });

  test("scripts get in with Authorization: Bearer", async ({ request }) => {
    const response = await request.get(`${baseUrl}/api/health`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status()).toBe(200);
    expect((await response.json()).status).toBe("ok");
  });

  test("a mutation from a foreign origin is refused, even with the token", async ({ request }) => {
    const response = await request.post(`${baseUrl}/api/trpc/host.scan`, {
      data: { json: { id: 1 } },
      headers: { authorization: `Bearer ${token}`, origin: "https://evil.example" },
    });
    expect(response.status()).toBe(403);
    expect(await response.text()).toContain("another origin");
  });

  test("the token is in neither the HTML nor the client bundle", async ({ page }) => {
    await signIn(page, "Ada", token);
    await expect(page.getByRole("heading", { name: "Models", level: 1 })).toBeVisible();
    const scriptUrls = new Set<string>();
    for (const path of ["/models", "/runs", "/hosts", "/health", "/playground"]) {
      await page.goto(`${baseUrl}${path}`);
      expect(await page.content()).not.toContain(token);
      for (const src of await page
        .locator("script[src]")
        .evaluateAll((nodes) => nodes.map((node) => node.getAttribute("src") ?? ""))) {
        scriptUrls.add(src);
      }
    }
    expect(scriptUrls.size).toBeGreaterThan(0);
    for (const url of scriptUrls) {
      const body = await (await page.request.get(new URL(url, baseUrl).toString())).text();
      expect(body, url).not.toContain(token);
    }
  });
});
