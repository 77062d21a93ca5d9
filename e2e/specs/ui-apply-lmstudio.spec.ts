import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { savedLoadDefaultsFile } from "@lmstrix/core/lmstudio-home";
import { expect, test } from "@playwright/test";
import { trpcMutation } from "../support/dashboard";
import { openE2eDatabase } from "../support/database";

const HOST = "apply-box";
const MODEL = { modelKey: "apply-model", path: "apply/apply-model/apply-model-Q4_K_M.gguf" };
/** LM Studio's file as another tool left it: other fields and keys that must survive. */
const EXISTING = `${JSON.stringify(
  {
    preset: "",
    operation: { fields: [{ key: "llm.prediction.temperature", value: 0.4 }] },
    load: {
      fields: [
        { key: "llm.load.contextLength", value: 4096 },
        { key: "llm.load.llama.flashAttention", value: true },
      ],
    },
    otherTool: { kept: true },
  },
  null,
  2,
)}\n`;

let home: string;
let settingsFile: string;
let modelId: number;

test.beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), "lmstudio-home-e2e-"));
  settingsFile = savedLoadDefaultsFile(home, MODEL)!;
  await mkdir(path.dirname(settingsFile), { recursive: true });
  await writeFile(settingsFile, EXISTING);
  const db = await openE2eDatabase();
  try {
    await db.prisma.host.deleteMany({ where: { name: HOST } });
    const host = await db.prisma.host.create({
      data: { name: HOST, url: "ws://127.0.0.1:9", enabled: false, lmstudioHome: home },
    });
    const model = await db.prisma.model.create({
      data: {
        hostId: host.id,
        ...MODEL,
        displayName: "Apply model",
        type: "llm",
        sizeBytes: BigInt(4_000_000_000),
        declaredContext: 131_072,
        testStatus: "completed",
        loadableLimit: 32_768,
        lastGoodContext: 32_768,
        lastTestedAt: new Date(),
      },
    });
    modelId = model.id;
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
  await rm(home, { recursive: true, force: true });
});

test("Apply to LM Studio shows the change, writes it keeping the other fields, and undoes it", async ({
  page,
}) => {
  await page.goto(`/models/${modelId}`);
  await page.getByRole("button", { name: "Apply to LM Studio" }).click();
  const dialog = page.getByRole("dialog", { name: "Apply to LM Studio" });
  const change = dialog.getByTestId("apply-change");
  await expect(change).toContainText("llm.load.contextLength: 4,096 tokens → 32,768 tokens");
  await expect(change).toContainText(settingsFile);
  expect(await readFile(settingsFile, "utf8")).toBe(EXISTING);

  await dialog.getByRole("button", { name: "Apply", exact: true }).click();
  await expect(dialog.getByRole("status")).toContainText("is now 32,768 tokens");
  const expected = JSON.parse(EXISTING);
  expected.load.fields[0].value = 32_768;
  expect(JSON.parse(await readFile(settingsFile, "utf8"))).toEqual(expected);

  await dialog.getByRole("button", { name: "Undo" }).click();
  await expect(dialog.getByText("Undone: the file is back as it was")).toBeVisible();
  expect(await readFile(settingsFile, "utf8")).toBe(EXISTING);
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toBeHidden();
});
