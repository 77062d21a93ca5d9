import { expect, test } from "@playwright/test";
import { type HostRow, trpcMutation, trpcQuery } from "../support/dashboard";

const PREFIX = "closed-port-";

// The hosts a failed run of this spec left behind would show up on other pages.
test.afterEach(async ({ request }) => {
  const hosts = await trpcQuery<HostRow[]>(request, "host.list");
  for (const host of hosts.filter((candidate) => candidate.name.startsWith(PREFIX))) {
    await trpcMutation(request, "host.delete", { id: host.id });
  }
});

test.describe("Hosts page", () => {
  test("scanning a host reports what changed and its models appear on the Models page", async ({ page }) => {
    await page.goto("/hosts");
    const card = page.getByRole("article", { name: "local" });
    await expect(card.getByTestId("host-connection")).toContainText("Reachable · LM Studio");

    await card.getByRole("button", { name: "Scan local" }).click();
    await expect(card.getByTestId("scan-result")).toHaveText(
      /Scan: \d+ new, \d+ changed, \d+ gone, \d+ unchanged/,
    );
    await expect(card.getByRole("link", { name: "4 models" })).toBeVisible();

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Models" }).click();
    await page.getByLabel("Host", { exact: true }).selectOption({ label: "local" });
    for (const key of [
      "qwen3-4b-instruct",
      "llama-3.1-8b-instruct",
      "gemma-3-12b-it",
      "text-embedding-nomic-embed-text-v1.5",
    ]) {
      await expect(page.getByRole("row", { name: new RegExp(key.replaceAll(".", "\\.")) })).toBeVisible();
    }
    const qwen = page.getByRole("row", { name: /qwen3-4b-instruct/ });
    await expect(qwen.getByRole("cell", { name: "32,768" })).toBeVisible();
    await expect(qwen.getByRole("cell", { name: "2.33 GB" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Test all untested models on local" })).toBeVisible();
  });

  test("an unreachable host shows as down with the reason, quickly, and can be edited and removed", async ({
    page,
  }) => {
    const name = `${PREFIX}${Date.now()}`;
    await page.goto("/hosts");
    await page.getByRole("button", { name: "Add host" }).click();
    const dialog = page.getByRole("dialog", { name: "Add a host" });
    await expect(dialog.getByLabel("Name")).toBeFocused();

    // The form says what is wrong before anything is sent.
    await dialog.getByLabel("Name").fill("bad name!");
    await dialog.getByLabel("URL").fill("http://127.0.0.1:9");
    await dialog.getByRole("button", { name: "Add host" }).click();
    await expect(dialog.getByText("host name may use letters, digits, '.', '_' and '-' only")).toBeVisible();
    await expect(dialog.getByText("host URL must look like ws://127.0.0.1:1234")).toBeVisible();
    await expect(dialog.getByLabel("URL")).toHaveAttribute("aria-invalid", "true");

    await dialog.getByLabel("Name").fill(name);
    await dialog.getByLabel("URL").fill("ws://127.0.0.1:9");
    await dialog.getByRole("button", { name: "Add host" }).click();
    await expect(dialog).toBeHidden();

    const card = page.getByRole("article", { name });
    const started = Date.now();
    await expect(card.getByTestId("host-connection")).toContainText("Down", { timeout: 8_000 });
    expect(Date.now() - started).toBeLessThan(8_000);
    await expect(card.getByTestId("host-connection")).toContainText(/127\.0\.0\.1:9|refused|connect/i);

    // A second host with the same name is refused with the server's message.
    await page.getByRole("button", { name: "Add host" }).click();
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByLabel("URL").fill("ws://127.0.0.1:10");
    await dialog.getByRole("button", { name: "Add host" }).click();
    await expect(dialog.getByRole("alert")).toHaveText(`A host named "${name}" exists already`);
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();

    await card.getByRole("button", { name: `Disable ${name}` }).click();
    await expect(card.getByText("Disabled", { exact: true })).toBeVisible();

    await card.getByRole("button", { name: `Edit ${name}` }).click();
    const edit = page.getByRole("dialog", { name: `Edit host ${name}` });
    // An LM Studio home must be a folder on the server's machine: a typo is refused and nothing is saved.
    await edit.getByLabel("LM Studio home on this machine").fill("/no/such/lmstudio");
    await edit.getByRole("button", { name: "Save" }).click();
    await expect(edit.getByRole("alert")).toHaveText(
      "there is no folder /no/such/lmstudio on this machine (LM Studio home must be an existing folder here)",
    );
    await edit.getByLabel("LM Studio home on this machine").fill("");
    await edit.getByLabel("Name").fill(`${name}-renamed`);
    await edit.getByRole("button", { name: "Save" }).click();
    const renamed = page.getByRole("article", { name: `${name}-renamed` });
    await expect(renamed).toBeVisible();

    await renamed.getByRole("button", { name: `Remove ${name}-renamed` }).click();
    const confirm = page.getByRole("dialog", { name: `Remove host ${name}-renamed?` });
    await expect(confirm.getByRole("button", { name: "Keep it" })).toBeFocused();
    await confirm.getByRole("button", { name: "Remove host" }).click();
    await expect(renamed).toBeHidden();
  });
});
