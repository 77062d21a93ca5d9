import { expect, test } from "@playwright/test";
import { localHost, scanLocalHost } from "../support/dashboard";

test.beforeEach(async ({ request }) => {
  await scanLocalHost(request);
});

test("the Models page keeps its sort and filters in the URL: reload, back and forward", async ({
  page,
  request,
}) => {
  const local = await localHost(request);
  await page.goto("/models");
  const host = page.getByLabel("Host", { exact: true });
  const type = page.getByLabel("Type");
  const search = page.getByLabel("Search");
  const limitHeader = page.getByRole("columnheader", { name: /Loadable limit/ });
  const embedding = page.getByRole("row", { name: /text-embedding-nomic/ });
  const gemma = page.getByRole("row", { name: /gemma-3-12b-it/ });

  await host.selectOption({ label: "local" });
  await type.selectOption("llm");
  await limitHeader.getByRole("button").click();
  await expect(limitHeader).toHaveAttribute("aria-sort", "descending");
  await search.fill("instruct");
  await expect(page).toHaveURL(
    new RegExp(`/models\\?host=${local.id}&type=llm&q=instruct&sort=limit&dir=desc$`),
  );
  await expect(gemma).toBeHidden();

  await page.reload();
  await expect(host).toHaveValue(String(local.id));
  await expect(type).toHaveValue("llm");
  await expect(search).toHaveValue("instruct");
  await expect(limitHeader).toHaveAttribute("aria-sort", "descending");
  await expect(page.getByRole("row", { name: /qwen3-4b-instruct/ })).toBeVisible();
  await expect(embedding).toBeHidden();
  await expect(gemma).toBeHidden();

  // Back: before the sort (the search was typed into the same history entry, not one per letter).
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`/models\\?host=${local.id}&type=llm$`));
  await expect(limitHeader).toHaveAttribute("aria-sort", "none");
  await expect(search).toHaveValue("");
  await expect(gemma).toBeVisible();
  await page.goBack();
  await expect(type).toHaveValue("all");
  await expect(embedding).toBeVisible();

  await page.goForward();
  await page.goForward();
  await expect(limitHeader).toHaveAttribute("aria-sort", "descending");
  await expect(search).toHaveValue("instruct");
  await expect(gemma).toBeHidden();
});

test("the Runs page keeps its host filter in the URL", async ({ page, request }) => {
  const local = await localHost(request);
  await page.goto("/runs");
  const host = page.getByLabel("Host");
  await host.selectOption({ label: "local" });
  await expect(page).toHaveURL(new RegExp(`/runs\\?host=${local.id}$`));
  await page.reload();
  await expect(host).toHaveValue(String(local.id));
  await page.goBack();
  await expect(page).toHaveURL(/\/runs$/);
  await expect(host).toHaveValue("all");
});
