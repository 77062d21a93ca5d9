import { createHmac } from "node:crypto";
import { openDatabase } from "@lmstrix/db";
import { expect, type Page, test } from "@playwright/test";
import { e2e } from "../support/env";

const { baseUrl, token } = e2e.team;

const DAY_S = 24 * 60 * 60;

/** A session cookie signed with the team token as the dashboard signs one, issued `ageS` seconds ago. */
function sessionIssuedAgo(name: string, ageS: number): string {
  const issuedAtS = Math.floor(Date.now() / 1000) - ageS;
  const signature = createHmac("sha256", token).update(`session:${issuedAtS}:${name}`).digest("base64url");
  return `${Buffer.from(name).toString("base64url")}.${issuedAtS}.${signature}`;
}

/** A genuine cookie of the format from before sessions carried an issued-at time. */
function sessionWithoutIssuedAt(name: string): string {
  const signature = createHmac("sha256", token).update(`session:${name}`).digest("base64url");
  return `${Buffer.from(name).toString("base64url")}.${signature}`;
}

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
      "/api/limits",
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

  test("sign out ends the session: the next page leads to sign-in", async ({ page }) => {
    await signIn(page, "Ada", token);
    await expect(page).toHaveURL(`${baseUrl}/models`);
    const session = (await page.context().cookies(baseUrl)).find(
      (cookie) => cookie.name === "lmstrix_session",
    );
    // Max-Age is the default 30 days (the browser turns it into an expiry date).
    const daysLeft = ((session?.expires ?? 0) - Date.now() / 1000) / DAY_S;
    expect(daysLeft).toBeGreaterThan(29);
    expect(daysLeft).toBeLessThanOrEqual(30);

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(`${baseUrl}/sign-in`);
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    expect((await page.context().cookies(baseUrl)).map((cookie) => cookie.name)).not.toContain(
      "lmstrix_session",
    );
    await page.goto(`${baseUrl}/runs`);
    await expect(page).toHaveURL(`${baseUrl}/sign-in?next=%2Fruns`);
    expect((await page.request.get(`${baseUrl}/api/trpc/host.list`)).status()).toBe(401);
  });

  test("sign out from another origin is refused, and the session stays", async ({ page }) => {
    await signIn(page, "Ada", token);
    await expect(page).toHaveURL(`${baseUrl}/models`);
    const response = await page.request.post(`${baseUrl}/api/sign-out`, {
      headers: { origin: "https://evil.example" },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(403);
    expect((await page.request.get(`${baseUrl}/api/trpc/host.list`)).status()).toBe(200);
  });

  test("the Sign out control is only shown in team mode", async ({ page }) => {
    // The header asks the server for the mode; wait for its answer before looking for the control.
    const answered = page.waitForResponse((response) => response.url().includes("health.session"));
    await page.goto("/models");
    expect((await answered).ok()).toBe(true);
    await expect(page.getByRole("heading", { name: "Models", level: 1 })).toBeVisible();
    await expect(page.getByRole("link", { name: "Runs" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Sign out" })).toHaveCount(0);
  });

  test("an expired or old-format session leads to sign-in with a message", async ({ page }) => {
    for (const [what, value] of [
      ["31 days old", sessionIssuedAgo("Ada", 31 * DAY_S)],
      ["without issued-at time", sessionWithoutIssuedAt("Ada")],
    ] as const) {
      // Leave the previous sign-in page first: its prefetches would carry the next cookie, and the answer to
      // them (sign in; the expired cookie deleted) would remove it before the page below is asked for.
      await page.goto("about:blank");
      await page.context().clearCookies();
      await page.context().addCookies([{ name: "lmstrix_session", value, url: baseUrl }]);
      await page.goto(`${baseUrl}/hosts`);
      await expect(page, what).toHaveURL(`${baseUrl}/sign-in?next=%2Fhosts&error=expired`);
      await expect(page.getByRole("alert").filter({ hasText: "session" }), what).toHaveText(
        "Your session expired; sign in again.",
      );
      // The refused cookie was removed.
      expect(
        (await page.context().cookies(baseUrl)).map((cookie) => cookie.name),
        what,
      ).not.toContain("lmstrix_session");
    }
    await page
      .context()
      .addCookies([{ name: "lmstrix_session", value: sessionIssuedAgo("Ada", 31 * DAY_S), url: baseUrl }]);
    const api = await page.request.get(`${baseUrl}/api/trpc/host.list`);
    expect(api.status()).toBe(401);
    expect((await api.json()).error).toBe("Your session expired; sign in again");

    // A session a day old still works: the expiry is the maximum age, not a fixed date.
    await page.context().clearCookies();
    await page
      .context()
      .addCookies([{ name: "lmstrix_session", value: sessionIssuedAgo("Ada", DAY_S), url: baseUrl }]);
    await page.goto(`${baseUrl}/hosts`);
    await expect(page).toHaveURL(`${baseUrl}/hosts`);
  });

  test("behind a TLS-terminating proxy (X-Forwarded-Proto: https) the cookie is Secure", async ({
    request,
  }) => {
    const signInWith = (forwardedProto: string | undefined) =>
      request.post(`${baseUrl}/api/sign-in`, {
        form: { name: "Ada", token, next: "/models" },
        headers: forwardedProto ? { "x-forwarded-proto": forwardedProto } : {},
        maxRedirects: 0,
      });
    const proxied = await signInWith("https");
    expect(proxied.status()).toBe(303);
    expect(proxied.headers()["set-cookie"]).toMatch(/; Max-Age=2592000; Secure$/);
    const direct = await signInWith(undefined);
    expect(direct.headers()["set-cookie"]).toMatch(/^lmstrix_session=.+; Max-Age=2592000$/);
  });

  test("scripts get in with Authorization: Bearer", async ({ request }) => {
    const response = await request.get(`${baseUrl}/api/health`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status()).toBe(200);
    expect((await response.json()).status).toBe("ok");
    const limits = await request.get(`${baseUrl}/api/limits`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(limits.status()).toBe(200);
    expect((await limits.json()).format).toBe("lmstrix-limits");
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
