import { expect, test } from "@playwright/test";
import { type HostRow, localHost, scanLocalHost, trpcMutation, trpcQuery } from "../support/dashboard";

/** First in every host list (they are sorted by name), and nothing answers at its URL. */
const DOWN = "aaa-down-host";

async function removeDownHost(request: Parameters<typeof trpcQuery>[0]) {
  const hosts = await trpcQuery<HostRow[]>(request, "host.list");
  for (const host of hosts.filter((candidate) => candidate.name === DOWN)) {
    await trpcMutation(request, "host.delete", { id: host.id });
  }
}

test.describe("a host that is down", () => {
  test.beforeEach(async ({ request }) => {
    await removeDownHost(request);
    await scanLocalHost(request);
    await trpcMutation(request, "host.create", { name: DOWN, url: "ws://127.0.0.1:9" });
  });
  test.afterEach(async ({ request }) => removeDownHost(request));

  test("is never the Playground's or the Import's default: the first host that answers is", async ({
    page,
    request,
  }) => {
    const local = await localHost(request);
    await page.goto("/playground");
    const host = page.getByLabel("Host");
    await expect(host).toHaveValue(String(local.id));
    // It is still offered, marked.
    await expect(host.locator("option", { hasText: `${DOWN} (down)` })).toHaveCount(1);
    await expect(page.getByLabel("Model")).toHaveValue(/.+/);
    await host.selectOption({ label: `${DOWN} (down)` });
    await expect(page.getByRole("status").filter({ hasText: "not answering" })).toContainText(
      `LM Studio on ${DOWN} is not answering`,
    );

    await page.goto("/health");
    const into = page.getByLabel("Into host");
    await expect(into).toHaveValue(String(local.id));
    await expect(into.locator("option", { hasText: `${DOWN} (down)` })).toHaveCount(1);
  });

  test("is listed on the Models page, marked, in the host summary and the host filter", async ({ page }) => {
    await page.goto("/models");
    const summary = page.getByRole("list", { name: "Hosts" }).getByRole("listitem");
    // Listed although it has no model yet.
    const down = summary.filter({ hasText: DOWN });
    await expect(down).toContainText("0 models");
    await expect(down.getByText("down", { exact: true })).toBeVisible();
    await expect(summary.filter({ hasText: "local" }).getByText("down", { exact: true })).toHaveCount(0);

    const filter = page.getByLabel("Host", { exact: true });
    await expect(filter.locator("option", { hasText: `${DOWN} (down)` })).toHaveCount(1);
    await expect(filter.locator("option", { hasText: "local" })).toHaveText("local");
    await filter.selectOption({ label: `${DOWN} (down)` });
    await expect(page.getByText("No model matches these filters.")).toBeVisible();
  });
});
